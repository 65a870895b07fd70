from st2common.runners.base_action import Action


class DictResult(Action):
    def run(self, name, count=1):
        print("hello from stdout")
        return {"name": name, "count": count}
