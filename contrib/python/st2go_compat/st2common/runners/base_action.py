"""Action: the base class of a pack's Python actions."""

import abc
import logging

__all__ = ["Action"]


class Action(abc.ABC):
    """Derive from this and implement run(**parameters); the runner
    constructs the class with the pack's config and an action service
    (datastore access) and calls run with the action's parameters."""

    description = None

    def __init__(self, config=None, action_service=None):
        self.config = config or {}
        self.action_service = action_service
        self.logger = logging.getLogger("actions.python.%s" % type(self).__name__)

    @abc.abstractmethod
    def run(self, **kwargs):
        """Do the action's work; the return value becomes the result."""
