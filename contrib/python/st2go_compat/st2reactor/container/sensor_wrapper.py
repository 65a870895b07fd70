"""SensorService: what a sensor reaches through ``self.sensor_service``.

Triggers a sensor dispatches go to st2go as JSON lines on a pipe st2go
opened for the sensor process (the file descriptor named by the
environment variable ST2GO_DISPATCH_FD, 3); datastore calls go to st2go's
REST API. Without that variable (a sensor run outside st2go, e.g. by pack
tests), dispatched triggers are printed on stderr.
"""

import json
import logging
import os
import sys
import threading

from st2common.services.datastore import SYSTEM_SCOPE, SensorDatastoreService

__all__ = ["SensorService", "DispatchChannel", "DISPATCH_FD_ENV"]

# Names the file descriptor on which st2go reads dispatched triggers.
DISPATCH_FD_ENV = "ST2GO_DISPATCH_FD"


class DispatchChannel(object):
    """Writes one JSON document per line to the dispatch pipe; safe to use
    from several threads."""

    def __init__(self, fd=None):
        self._lock = threading.Lock()
        self._out = None
        if fd is None and os.environ.get(DISPATCH_FD_ENV, "").isdigit():
            fd = int(os.environ[DISPATCH_FD_ENV])
        if fd is None:
            return
        try:
            # Programs the sensor starts must not hold the pipe open.
            os.set_inheritable(fd, False)
            self._out = os.fdopen(fd, "w", encoding="utf-8", buffering=1, closefd=False)
        except OSError:
            self._out = None

    def send(self, message):
        line = json.dumps(message, default=str, separators=(",", ":"))
        with self._lock:
            if self._out is None:
                # Started by hand, not by st2go: show what would be sent.
                sys.stderr.write("st2go dispatch (no pipe): %s\n" % line)
                return
            self._out.write(line + "\n")
            self._out.flush()


class SensorService(object):
    """The object handed to a sensor's constructor as ``sensor_service``."""

    def __init__(self, pack, class_name, logger=None, channel=None):
        self._pack = pack
        self._class_name = class_name
        self._logger = logger or logging.getLogger("SensorWrapper.%s.%s" % (pack, class_name))
        self._channel = channel or DispatchChannel()
        self._datastore_service = SensorDatastoreService(
            logger=self._logger,
            pack_name=pack,
            class_name=class_name,
            api_username="sensor_service",
        )

    @property
    def datastore_service(self):
        return self._datastore_service

    def get_logger(self, name):
        """A logger named below the sensor's own logger."""
        logger = logging.getLogger("%s.%s" % (self._logger.name, name))
        logger.propagate = True
        return logger

    def get_user_info(self):
        return self._datastore_service.get_user_info()

    # Triggers

    def dispatch(self, trigger, payload=None, trace_tag=None):
        """Emit a trigger instance. ``trigger`` is a trigger ref
        (``pack.name``) or a dict with ``type`` and ``parameters``."""
        self._channel.send({"trigger": trigger, "payload": payload or {}, "trace_tag": trace_tag})

    def dispatch_with_context(self, trigger, payload=None, trace_context=None):
        """Emit a trigger instance carrying a trace context; st2go keeps
        the context's trace tag."""
        self._channel.send(
            {"trigger": trigger, "payload": payload or {}, "trace_tag": _trace_tag_of(trace_context)}
        )

    # Datastore

    def list_values(self, local=True, prefix=None, limit=None, offset=None):
        return self._datastore_service.list_values(
            local=local, prefix=prefix, limit=limit, offset=offset
        )

    def get_value(self, name, local=True, scope=SYSTEM_SCOPE, decrypt=False):
        return self._datastore_service.get_value(
            name=name, local=local, scope=scope, decrypt=decrypt
        )

    def set_value(self, name, value, ttl=None, local=True, scope=SYSTEM_SCOPE, encrypt=False):
        return self._datastore_service.set_value(
            name=name, value=value, ttl=ttl, local=local, scope=scope, encrypt=encrypt
        )

    def delete_value(self, name, local=True, scope=SYSTEM_SCOPE):
        return self._datastore_service.delete_value(name=name, local=local, scope=scope)


def _trace_tag_of(trace_context):
    """The trace tag of a TraceContext-like object or dict, if any."""
    if trace_context is None:
        return None
    if isinstance(trace_context, dict):
        return trace_context.get("trace_tag")
    return getattr(trace_context, "trace_tag", None)
