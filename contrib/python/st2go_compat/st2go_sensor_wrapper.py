"""Run one StackStorm sensor in this process, for st2go.

    python3 st2go_sensor_wrapper.py --pack PACK --file PATH --class NAME
        [--poll-interval SECONDS] [--config JSON]

The pack config may come in the environment variable ST2GO_SENSOR_CONFIG
instead of --config (st2go uses it, so secrets stay out of the process
list); the variable is removed before the sensor loads.

Loads the class NAME (a subclass of Sensor or PollingSensor) from the
Python file PATH, builds it with a SensorService and the pack config,
calls setup() and then run(), and calls cleanup() when run() ends or the
process receives SIGTERM. Dispatched triggers go, one JSON document a
line, to the file descriptor named by ST2GO_DISPATCH_FD (st2go passes 3);
anything the sensor prints or logs goes to stdout/stderr, which st2go
logs.

Trigger changes arrive on stdin, one JSON document a line:
{"op": "add"|"update"|"remove", "trigger": {...}}; each calls the
sensor's add_trigger, update_trigger or remove_trigger.

Exit status: 0 after a clean stop (run() returned or SIGTERM), 1 when the
sensor could not be loaded or raised, 2 for bad arguments.
"""

import argparse
import importlib.util
import inspect
import json
import logging
import os
import signal
import sys
import threading

CONFIG_ENV = "ST2GO_SENSOR_CONFIG"
LOG_FORMAT = "%(asctime)s %(levelname)s [%(name)s] %(message)s"


class _Stop(BaseException):
    """Raised in the main thread by the SIGTERM handler to unwind run()."""


def _parse_args(argv):
    p = argparse.ArgumentParser(description="Run one StackStorm sensor for st2go.")
    p.add_argument("--pack", required=True, help="pack the sensor belongs to")
    p.add_argument("--file", required=True, help="path of the sensor's Python file")
    p.add_argument("--class", dest="class_name", required=True, help="sensor class name")
    p.add_argument("--poll-interval", type=float, default=None, help="seconds between polls")
    p.add_argument("--config", default=None, help="pack config as a JSON object")
    return p.parse_args(argv)


def load_sensor_class(path, class_name, base):
    """The class called class_name defined in the file at path, which must
    derive from base."""
    path = os.path.abspath(path)
    directory = os.path.dirname(path)
    if directory not in sys.path:
        # Sensors import modules that sit next to them.
        sys.path.insert(0, directory)
    module_name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot load %s as a Python module" % path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    for name, obj in inspect.getmembers(module, inspect.isclass):
        if name == class_name and issubclass(obj, base):
            return obj
    raise ValueError('%s has no sensor class named "%s"' % (path, class_name))


def _watch_triggers(sensor, logger):
    """Feed trigger changes from stdin to the sensor until stdin closes."""
    methods = {"add": "add_trigger", "update": "update_trigger", "remove": "remove_trigger"}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
            method = getattr(sensor, methods[msg["op"]])
            method(msg.get("trigger"))
        except Exception:  # noqa: BLE001 - one bad message must not stop the sensor
            logger.exception("Handling trigger change %s failed", line)


def main(argv=None):
    args = _parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format=LOG_FORMAT)
    logger = logging.getLogger("SensorWrapper.%s.%s" % (args.pack, args.class_name))

    from st2reactor.container.sensor_wrapper import SensorService
    from st2reactor.sensor.base import BaseSensor, PollingSensor

    try:
        raw_config = os.environ.pop(CONFIG_ENV, None)
        if args.config is not None:
            raw_config = args.config
        config = json.loads(raw_config) if raw_config else None
        if config is not None and not isinstance(config, dict):
            raise ValueError("--config must be a JSON object")
        sensor_class = load_sensor_class(args.file, args.class_name, BaseSensor)
        kwargs = {
            "sensor_service": SensorService(args.pack, args.class_name, logger=logger),
            "config": config,
        }
        if args.poll_interval and issubclass(sensor_class, PollingSensor):
            interval = args.poll_interval
            kwargs["poll_interval"] = int(interval) if interval == int(interval) else interval
        sensor = sensor_class(**kwargs)
    except Exception:  # noqa: BLE001 - reported and turned into the exit status
        logger.exception("Loading sensor %s from %s failed", args.class_name, args.file)
        return 1

    stopping = []

    def on_term(signum, frame):
        if not stopping:
            stopping.append(signum)
            raise _Stop()

    signal.signal(signal.SIGTERM, on_term)

    watcher = threading.Thread(target=_watch_triggers, args=(sensor, logger), daemon=True)
    watcher.start()

    status = 0
    try:
        logger.info("Running sensor setup")
        sensor.setup()
        if isinstance(sensor, PollingSensor):
            logger.info("Running sensor in active mode (poll interval=%ss)", sensor.get_poll_interval())
        else:
            logger.info("Running sensor in passive mode")
        sensor.run()
    except _Stop:
        logger.info("Stopping sensor (SIGTERM)")
    except Exception:  # noqa: BLE001 - reported and turned into the exit status
        logger.exception("Sensor %s failed", args.class_name)
        status = 1
    finally:
        # A second SIGTERM must not interrupt cleanup.
        stopping.append(None)
        try:
            sensor.cleanup()
        except Exception:  # noqa: BLE001
            logger.exception("Sensor %s cleanup failed", args.class_name)
    return status


if __name__ == "__main__":
    sys.exit(main())
