"""A polling sensor written exactly as for StackStorm."""

from st2reactor.sensor.base import PollingSensor

from counter_lib import label


class CounterSensor(PollingSensor):
    def __init__(self, sensor_service, config=None, poll_interval=5):
        super(CounterSensor, self).__init__(
            sensor_service=sensor_service, config=config, poll_interval=poll_interval
        )
        self._logger = self.sensor_service.get_logger(name=self.__class__.__name__)
        self._count = 0

    def setup(self):
        stored = self.sensor_service.get_value("count")
        self._count = int(stored) if stored else 0
        self._logger.info("starting from count %s", self._count)

    def poll(self):
        self._count += 1
        self.sensor_service.set_value("count", self._count)
        listed = sorted(kv.name for kv in self.sensor_service.list_values(local=True))
        self.sensor_service.dispatch(
            trigger="testpack.counter",
            payload={
                "count": self._count,
                "label": label(self._count),
                "greeting": self.config.get("greeting"),
                "listed": listed,
                "global": self.sensor_service.get_value("shared", local=False),
            },
            trace_tag="counter-%d" % self._count,
        )

    def cleanup(self):
        self.sensor_service.set_value("cleaned", "yes")

    def add_trigger(self, trigger):
        self.sensor_service.dispatch("testpack.counter_trigger_added", trigger)

    def update_trigger(self, trigger):
        pass

    def remove_trigger(self, trigger):
        pass
