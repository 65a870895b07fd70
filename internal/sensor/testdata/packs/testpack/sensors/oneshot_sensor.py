from st2reactor.sensor.base import Sensor


class OneShotSensor(Sensor):
    """Dispatches once and returns from run(): a clean exit."""

    def setup(self):
        pass

    def run(self):
        self.sensor_service.dispatch("testpack.once", {"done": True})

    def cleanup(self):
        pass

    def add_trigger(self, trigger):
        pass

    def update_trigger(self, trigger):
        pass

    def remove_trigger(self, trigger):
        pass
