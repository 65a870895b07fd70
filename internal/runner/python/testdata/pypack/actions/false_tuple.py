from st2common.runners.base_action import Action


class FalseTuple(Action):
    def run(self):
        return (False, "why")
