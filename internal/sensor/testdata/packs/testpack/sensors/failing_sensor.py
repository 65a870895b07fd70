from st2reactor.sensor.base import Sensor


class FailingSensor(Sensor):
    def setup(self):
        raise RuntimeError("cannot reach the service")

    def run(self):
        pass

    def cleanup(self):
        pass

    def add_trigger(self, trigger):
        pass

    def update_trigger(self, trigger):
        pass

    def remove_trigger(self, trigger):
        pass
