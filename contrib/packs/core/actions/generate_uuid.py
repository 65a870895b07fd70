"""core.uuid: return a fresh UUID as a string."""

import uuid

from st2common.runners.base_action import Action

_GENERATORS = {"uuid1": uuid.uuid1, "uuid4": uuid.uuid4}


class GenerateUUID(Action):
    def run(self, uuid_type="uuid4"):
        make = _GENERATORS.get(uuid_type)
        if make is None:
            raise ValueError(
                "uuid_type must be one of %s, not %r" % (", ".join(sorted(_GENERATORS)), uuid_type)
            )
        return str(make())
