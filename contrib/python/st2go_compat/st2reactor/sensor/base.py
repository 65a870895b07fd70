"""Base classes a pack's sensor derives from.

st2go runs each sensor in its own Python process (see
st2go_sensor_wrapper.py); these classes keep StackStorm's constructor
signatures and method names so sensors written for StackStorm import and
run without changes.
"""

import abc
import time

__all__ = ["BaseSensor", "Sensor", "PollingSensor"]


class BaseSensor(abc.ABC):
    """Common ground of passive and polling sensors; not used directly.

    ``sensor_service`` is the object through which the sensor dispatches
    triggers and reaches the datastore; ``config`` is the pack's config
    (an empty dict when the pack has none).
    """

    def __init__(self, sensor_service, config=None):
        self.sensor_service = sensor_service
        self.config = config or {}
        # Older sensors read the underscore names; keep them pointing at
        # the same objects.
        self._sensor_service = self.sensor_service
        self._config = self.config

    @abc.abstractmethod
    def setup(self):
        """Prepare the sensor (open connections, read state) before run()."""

    @abc.abstractmethod
    def run(self):
        """Do the sensor's work; returns only when the sensor is done."""

    @abc.abstractmethod
    def cleanup(self):
        """Release what setup() and run() acquired; called on shutdown."""

    @abc.abstractmethod
    def add_trigger(self, trigger):
        """A trigger of one of this sensor's trigger types was created."""

    @abc.abstractmethod
    def update_trigger(self, trigger):
        """A trigger of one of this sensor's trigger types was changed."""

    @abc.abstractmethod
    def remove_trigger(self, trigger):
        """A trigger of one of this sensor's trigger types was deleted."""


class Sensor(BaseSensor):
    """A passive sensor: run() blocks, waiting for events from outside
    (a message queue, a socket, a stream) and dispatching triggers."""

    @abc.abstractmethod
    def run(self):
        """Wait for events and dispatch triggers; blocks."""


class PollingSensor(BaseSensor):
    """An active sensor: st2go calls poll() every ``poll_interval``
    seconds; poll() asks a system for news and dispatches triggers."""

    def __init__(self, sensor_service, config=None, poll_interval=5):
        super().__init__(sensor_service=sensor_service, config=config)
        self._poll_interval = poll_interval

    @abc.abstractmethod
    def poll(self):
        """Check for new information once."""

    def run(self):
        while True:
            self.poll()
            time.sleep(self._poll_interval)

    def get_poll_interval(self):
        """Seconds between two calls of poll()."""
        return self._poll_interval

    def set_poll_interval(self, poll_interval):
        """Change the seconds between two calls of poll(); takes effect
        after the current wait."""
        self._poll_interval = poll_interval
