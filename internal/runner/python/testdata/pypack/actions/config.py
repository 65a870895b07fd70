import os

from st2common.runners.base_action import Action


class ReadConfig(Action):
    def run(self):
        return {"token": self.config.get("token"), "leaked": "ST2GO_ACTION_CONFIG" in os.environ,
                "env": os.environ.get("MY_VAR"), "exec": os.environ.get("ST2_ACTION_EXECUTION_ID")}
