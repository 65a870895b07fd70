import time

from st2common.runners.base_action import Action


class Sleeper(Action):
    def run(self):
        print("going to sleep", flush=True)
        time.sleep(60)
