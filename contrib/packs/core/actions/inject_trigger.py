"""core.inject_trigger: dispatch a trigger instance through POST /webhooks/st2.

The action talks to the API directly with the execution's token, so it needs
nothing beyond the Python standard library.
"""

import json
import os
import urllib.request

from st2common.runners.base_action import Action


class InjectTrigger(Action):
    def run(self, trigger=None, trigger_name=None, payload=None, trace_tag=None):
        if trigger and trigger_name:
            raise ValueError("give either trigger or trigger_name, not both")
        ref = trigger_name or trigger
        if not ref:
            raise ValueError("trigger_name is required")

        api_url = os.environ.get("ST2_ACTION_API_URL") or os.environ.get("ST2_API_URL")
        token = os.environ.get("ST2_ACTION_AUTH_TOKEN") or os.environ.get("ST2_AUTH_TOKEN")
        if not api_url:
            raise ValueError("ST2_ACTION_API_URL is not set; cannot reach the API")

        body = json.dumps({"trigger": ref, "payload": payload or {}}).encode("utf-8")
        request = urllib.request.Request(
            api_url.rstrip("/") + "/webhooks/st2", data=body, method="POST"
        )
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("X-Auth-Token", token)
        if trace_tag:
            request.add_header("St2-Trace-Tag", trace_tag)

        with urllib.request.urlopen(request) as response:
            text = response.read().decode("utf-8")
        try:
            return json.loads(text)
        except ValueError:
            return text
