"""core.pause: sleep for a while and return how long."""

import random as _random
import time

from st2common.runners.base_action import Action


class Pause(Action):
    def run(self, max_pause, random=False):
        seconds = int(max_pause)
        if random and seconds > 1:
            seconds = _random.randint(1, seconds)
        time.sleep(seconds)
        return seconds
