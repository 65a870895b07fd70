"""Runs one Python action for st2go's python-script runner.

Usage: python st2go_action_wrapper.py <pack> <action file>

The action's parameters arrive on stdin as one JSON object; the pack's
config arrives as JSON in the ST2GO_ACTION_CONFIG environment variable
(never on the command line, where ps would show its secrets). The wrapper
loads the first class in the file that subclasses
st2common.runners.base_action.Action, builds it with the config and an
action service, calls run(**parameters) and writes the result to stdout
between two RESULT_DELIMITER markers as {"result": ..., "status": ...}.

Return contract (StackStorm's): a plain value leaves status null (the
runner decides from the exit code); a (bool, value) tuple sets status; a
two-item tuple whose first item is not a bool exits with code 220.
"""

import importlib.util
import inspect
import json
import logging
import os
import sys

RESULT_DELIMITER = "%%%%%~=~=~=************=~=~=~%%%%"
INVALID_STATUS_EXIT_CODE = 220
CONFIG_ENV = "ST2GO_ACTION_CONFIG"


def _export_api_env():
    # st2go_api reads ST2_API_URL / ST2_AUTH_TOKEN; actions get the
    # per-execution values as ST2_ACTION_*.
    for plain, action in (("ST2_API_URL", "ST2_ACTION_API_URL"), ("ST2_AUTH_TOKEN", "ST2_ACTION_AUTH_TOKEN")):
        if os.environ.get(action) and not os.environ.get(plain):
            os.environ[plain] = os.environ[action]


class ActionService(object):
    """Datastore access of one action (StackStorm's ActionService)."""

    def __init__(self, datastore_service):
        self._datastore_service = datastore_service

    @property
    def datastore_service(self):
        return self._datastore_service

    def get_user_info(self):
        return self._datastore_service.get_user_info()

    def list_values(self, local=True, prefix=None, limit=None, offset=0):
        return self._datastore_service.list_values(local=local, prefix=prefix, limit=limit, offset=offset)

    def get_value(self, name, local=True, scope="system", decrypt=False):
        return self._datastore_service.get_value(name=name, local=local, scope=scope, decrypt=decrypt)

    def set_value(self, name, value, ttl=None, local=True, scope="system", encrypt=False):
        return self._datastore_service.set_value(
            name=name, value=value, ttl=ttl, local=local, scope=scope, encrypt=encrypt
        )

    def delete_value(self, name, local=True, scope="system"):
        return self._datastore_service.delete_value(name=name, local=local, scope=scope)


def _load_action_class(path):
    from st2common.runners.base_action import Action

    module_name = "st2go_action_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot load action file %s" % path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    for _, obj in inspect.getmembers(module, inspect.isclass):
        if obj is not Action and issubclass(obj, Action) and obj.__module__ == module_name:
            return obj
    for _, obj in inspect.getmembers(module, inspect.isclass):
        if obj is not Action and issubclass(obj, Action):
            return obj
    raise Exception("Failed to load action class from file %s (action file most likely doesn't exist "
                    "or contains invalid syntax)" % path)


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: st2go_action_wrapper.py <pack> <action file>\n")
        return 2
    pack, path = sys.argv[1], sys.argv[2]
    _export_api_env()
    logging.basicConfig(
        stream=sys.stderr, level=os.environ.get("ST2GO_ACTION_LOG_LEVEL", "DEBUG").upper().replace("AUDIT", "INFO"),
        format="%(asctime)s %(levelname)s [-] %(message)s",
    )
    config = json.loads(os.environ.pop(CONFIG_ENV, "") or "null") or {}
    raw = sys.stdin.read()
    parameters = json.loads(raw) if raw.strip() else {}
    if isinstance(parameters, dict) and set(parameters) == {"parameters"} and isinstance(parameters["parameters"], dict):
        parameters = parameters["parameters"]

    from st2common.services.datastore import ActionDatastoreService

    cls = _load_action_class(path)
    datastore = ActionDatastoreService(
        logger=logging.getLogger("actions.python.%s.datastore" % cls.__name__),
        pack_name=pack, class_name=cls.__name__,
        auth_token=os.environ.get("ST2_ACTION_AUTH_TOKEN"),
    )
    action = cls(config=config, action_service=ActionService(datastore))
    output = action.run(**parameters)

    status = None
    result = output
    if isinstance(output, tuple) and len(output) == 2:
        status, result = output
        if not isinstance(status, bool):
            sys.stderr.write("If action returns a tuple, first item needs to be a boolean status "
                             "(True or False), got: %r\n" % (status,))
            return INVALID_STATUS_EXIT_CODE
    try:
        json.dumps(result)
    except (TypeError, ValueError):
        result = str(result)
    try:
        text = json.dumps({"result": result, "status": status})
    except (TypeError, ValueError):
        text = str({"result": result, "status": status})
    sys.stdout.flush()
    sys.stdout.write(RESULT_DELIMITER + text + "\n" + RESULT_DELIMITER)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
