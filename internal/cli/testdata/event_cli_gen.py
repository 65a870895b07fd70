#!/usr/bin/python3
"""Regenerates event_cli.json: runs StackStorm's own st2 CLI (the launcher
named by ST2_OFFICIAL_CLI; shared/docs/OFFICIAL-CLIENTS.md section 1 says how
to install it) for each case below against a small logging fake API, and
records the requests it sent and what it printed. event_test.go replays the
cases against the Go CLI and compares byte for byte.

Usage: ST2_OFFICIAL_CLI=/path/to/st2 python3 event_cli_gen.py > event_cli.json

For each request, "headers" holds its Content-Type, X-Auth-Token and
St2-Api-Key, joined by "|". Placeholders in the recorded text: {url} is the fake server's base URL and
{dir} the folder holding the case's files.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "5e86421776f946e98faea07e5b1ae31a"


def doc(**kw):
    return kw


RULE = doc(id="663200000000000000000030", uid="rule:examples:sample_rule", ref="examples.sample_rule",
           name="sample_rule", pack="examples", description="Sample rule.", enabled=True,
           trigger={"type": "core.st2.webhook", "ref": "core.5e8a5b5d-0000", "parameters": {"url": "sample"}},
           criteria={"trigger.body.name": {"type": "equals", "pattern": "st2"}},
           action={"ref": "core.local", "parameters": {"cmd": "echo {{trigger.body}}"}},
           tags=[], type={"ref": "standard", "parameters": {}}, context={},
           metadata_file="rules/sample_rule.yaml")
RULE2 = doc(id="663200000000000000000031", uid="rule:core:every_30s", ref="core.every_30s", name="every_30s",
            pack="core", description="Runs date every 30 seconds; a description long enough to wrap in its column.",
            enabled=False,
            trigger={"type": "core.st2.IntervalTimer", "ref": "core.8c13d1f2-0000",
                     "parameters": {"unit": "seconds", "delta": 30}},
            criteria={}, action={"ref": "core.local", "parameters": {"cmd": "date"}},
            tags=[{"name": "team", "value": "ops"}], type={"ref": "standard", "parameters": {}}, context={},
            metadata_file="rules/every_30s.yaml")


def pick(d, *keys):
    return {k: d[k] for k in keys if k in d}


WEBHOOK_TYPE = doc(id="663200000000000000000080", uid="trigger_type:core:st2.webhook", ref="core.st2.webhook",
                   name="st2.webhook", pack="core",
                   description="Trigger type for registering webhooks that can consume arbitrary payload.",
                   parameters_schema={"additionalProperties": False, "type": "object",
                                      "properties": {"url": {"required": True, "type": "string"}}},
                   payload_schema={"type": "object", "properties": {"headers": {"type": "object"},
                                                                    "body": {"anyOf": [{"type": "array"}, {"type": "object"}]}}},
                   tags=[], metadata_file=None)
TIMER_TYPE = doc(id="663200000000000000000081", uid="trigger_type:core:st2.IntervalTimer",
                 ref="core.st2.IntervalTimer", name="st2.IntervalTimer", pack="core",
                 description="Triggers on specified intervals. e.g. every 30s, 1week etc.",
                 parameters_schema={"type": "object", "properties": {"unit": {"enum": ["weeks", "days", "hours", "minutes", "seconds"], "required": True}, "delta": {"type": "integer", "required": True}}},
                 payload_schema={"type": "object", "properties": {"executed_at": {"type": "string", "format": "date-time"}}},
                 tags=[], metadata_file=None)
HOOK = doc(id="663200000000000000000090", uid="trigger:core:5e8a5b5d-0000", ref="core.5e8a5b5d-0000",
           name="5e8a5b5d-0000", pack="core", type="core.st2.webhook", parameters={"url": "sample"},
           description="")
HOOK2 = doc(id="663200000000000000000091", uid="trigger:core:5e8a5b5d-0001", ref="core.5e8a5b5d-0001",
            name="5e8a5b5d-0001", pack="core", type="core.st2.webhook", parameters={"url": "github/push"})
TIMER = doc(id="6632000000000000000000a0", uid="trigger:core:8c13d1f2-0000", ref="core.8c13d1f2-0000",
            name="8c13d1f2-0000", pack="core", type="core.st2.IntervalTimer",
            parameters={"unit": "seconds", "delta": 30})
TI = doc(id="663200000000000000000060", trigger="core.5e8a5b5d-0000",
         payload={"headers": {"Content-Type": "application/json"}, "body": {"name": "st2"}},
         occurrence_time="2024-05-01T10:00:00.000000Z", status="processed")
TI2 = doc(id="663200000000000000000061", trigger="core.8c13d1f2-0000",
          payload={"executed_at": "2024-05-01 10:00:30.000000+00:00", "schedule": None},
          occurrence_time="2024-05-01T10:00:30.123456Z", status="processing_failed")
ENF = doc(id="663200000000000000000070",
          rule={"ref": "examples.sample_rule", "id": "663200000000000000000030", "uid": "rule:examples:sample_rule"},
          trigger_instance_id="663200000000000000000060", execution_id="663200000000000000000010",
          failure_reason="", enforced_at="2024-05-01T10:00:00.500000Z", status="succeeded")
ENF2 = doc(id="663200000000000000000071",
           rule={"ref": "core.every_30s", "id": "663200000000000000000031", "uid": "rule:core:every_30s"},
           trigger_instance_id="663200000000000000000061", execution_id="",
           failure_reason='Action "core.nope" not found', enforced_at="2024-05-01T10:00:31.000000Z",
           status="failed")
SENSOR = doc(id="6632000000000000000000b0", uid="sensor_type:linux:FileWatchSensor", ref="linux.FileWatchSensor",
             name="FileWatchSensor", pack="linux", description="Sensor which monitors files for new lines",
             artifact_uri="file:///opt/stackstorm/packs/linux/sensors/file_watch_sensor.py",
             entry_point="file_watch_sensor.FileWatchSensor", enabled=True,
             trigger_types=["linux.file_watch.line"], poll_interval=None,
             metadata_file="sensors/file_watch_sensor.yaml")


def ok(body, status=200, headers=None):
    r = {"status": status, "body": json.dumps(body)}
    if headers:
        r["headers"] = headers
    return r


def without(d, key):
    return {k: v for k, v in d.items() if k != key}


def with_(d, **kw):
    o = dict(d)
    o.update(kw)
    return o


RULE_YAML = """---
name: hello_rule
pack: examples
description: Says hello on every webhook.
enabled: true
trigger:
  type: core.st2.webhook
  parameters:
    url: hello
criteria:
  trigger.body.lang:
    type: equals
    pattern: fr
action:
  ref: core.local
  parameters:
    cmd: echo bonjour
"""
RULE_YAML_SCALARS = """name: scalars
pack: examples
description: "Caf\u00e9 \u2615 rule"
enabled: yes
trigger:
  type: core.st2.IntervalTimer
  parameters: {unit: seconds, delta: 0x1e, jitter: 1.5, none: ~, flag: off, big: 12345678901234567890}
action:
  ref: core.local
  parameters:
    cmd: 'echo "quoted" \\ back'
tags: [a, 'b']
"""
RULE_JSON = json.dumps({"name": "hello_rule", "pack": "examples", "enabled": False,
                        "trigger": {"type": "core.st2.webhook", "parameters": {"url": "hello"}},
                        "action": {"ref": "core.local"}})
CREATED = doc(id="663200000000000000000032", uid="rule:examples:hello_rule", ref="examples.hello_rule",
              name="hello_rule", pack="examples", description="Says hello on every webhook.", enabled=True,
              trigger={"type": "core.st2.webhook", "ref": "core.1b2c3d4e-0000", "parameters": {"url": "hello"}},
              criteria={"trigger.body.lang": {"type": "equals", "pattern": "fr"}},
              action={"ref": "core.local", "parameters": {"cmd": "echo bonjour"}},
              tags=[], type={"ref": "standard", "parameters": {}}, context={}, metadata_file="")

RULES_Q = "GET /v1/rules/?include_attributes=ref%2Cpack%2Cdescription%2Cenabled&limit=50"
RULE_GET = "GET /v1/rules/examples.sample_rule"
TI_Q = "GET /v1/triggerinstances/?include_attributes=id%2Ctrigger%2Coccurrence_time%2Cstatus&limit=50"

CASES = [
    # rules
    dict(name="rule list", args=["rule", "list"], routes={
        RULES_Q: [ok([pick(RULE, "id", "ref", "pack", "description", "enabled"),
                      pick(RULE2, "id", "ref", "pack", "description", "enabled")], headers={"X-Total-Count": "2"})]}),
    dict(name="rule list filters and note", args=["rule", "list", "-n", "1", "-p", "examples", "-c", "core.local", "-g", "core.st2.webhook", "--enabled"], routes={
        "GET /v1/rules/?include_attributes=ref%2Cpack%2Cdescription%2Cenabled&limit=1&pack=examples&action=core.local&trigger=core.st2.webhook&enabled=True":
            [ok([pick(RULE, "ref", "pack", "description", "enabled")], headers={"X-Total-Count": "7"})]}),
    dict(name="rule list iftt disabled", args=["rule", "list", "--iftt", "--disabled", "-n", "-1"], routes={
        "GET /v1/rules/?include_attributes=ref%2Ctrigger.ref%2Caction.ref%2Cenabled&limit=-1&enabled=False":
            [ok([pick(RULE2, "ref", "trigger", "action", "enabled")], headers={"X-Total-Count": "1"})]}),
    dict(name="rule list all json", args=["rule", "list", "-a", "all", "-j"], routes={
        "GET /v1/rules/?limit=50": [ok([RULE])]}),
    dict(name="rule list attrs yaml", args=["rule", "list", "-a", "ref", "enabled", "-y"], routes={
        "GET /v1/rules/?include_attributes=ref%2Cenabled&limit=50": [ok([pick(RULE, "ref", "enabled"), pick(RULE2, "ref", "enabled")])]}),
    dict(name="rule list width", args=["rule", "list", "-w", "20", "10"], routes={
        RULES_Q: [ok([pick(RULE2, "ref", "pack", "description", "enabled")])]}),
    dict(name="rule list empty", args=["rule", "list"], routes={RULES_Q: [ok([])]}),
    dict(name="rule list not found", args=["rule", "list", "-j"], routes={}),
    dict(name="rule list server error", args=["rule", "list"], routes={
        RULES_Q: [ok({"faultstring": "Internal Server Error"}, status=500)]}),
    dict(name="rule list enabled and disabled", args=["rule", "list", "--enabled", "--disabled"], env=["COLUMNS=80"], routes={}),
    dict(name="rule get", args=["rule", "get", "examples.sample_rule"], routes={RULE_GET: [ok(RULE)]}),
    dict(name="rule get json", args=["rule", "get", "examples.sample_rule", "-j"], routes={RULE_GET: [ok(RULE)]}),
    dict(name="rule get yaml attrs", args=["rule", "get", "examples.sample_rule", "-y", "-a", "ref", "trigger.parameters", "enabled"], routes={RULE_GET: [ok(RULE)]}),
    dict(name="rule get two, one missing", args=["rule", "get", "nope", "examples.sample_rule", "-a", "ref", "enabled"], routes={RULE_GET: [ok(RULE)]}),
    dict(name="rule get missing", args=["rule", "get", "nope"], routes={}),
    dict(name="rule get unauthorized", args=["rule", "get", "examples.sample_rule"], routes={
        RULE_GET: [ok({"faultstring": "Unauthorized - One of Token or API key required."}, status=401)]}),
    dict(name="rule disable", args=["rule", "disable", "examples.sample_rule"], routes={
        RULE_GET: [ok(RULE)],
        "PUT /v1/rules/663200000000000000000030": [ok(with_(RULE, enabled=False))]}),
    dict(name="rule enable json", args=["rule", "enable", "core.every_30s", "-j"], routes={
        "GET /v1/rules/core.every_30s": [ok(RULE2)],
        "PUT /v1/rules/663200000000000000000031": [ok(with_(RULE2, enabled=True))]}),
    dict(name="rule enable missing", args=["rule", "enable", "nope"], routes={}),
    dict(name="rule create yaml", args=["rule", "create", "{dir}/rule.yaml"], files={"rule.yaml": RULE_YAML}, routes={
        "POST /v1/rules": [ok(CREATED, status=201)]}),
    dict(name="rule create json conflict", args=["rule", "create", "{dir}/rule.json"], files={"rule.json": RULE_JSON}, routes={
        "POST /v1/rules": [ok({"faultstring": "Tried to save duplicate unique keys (E11000 duplicate key error collection: st2.rule_d_b_index: uid_1 dup key: { uid: \"rule:examples:hello_rule\" })", "conflict-id": "663200000000000000000032"}, status=409)]}),
    dict(name="rule create missing file", args=["rule", "create", "{dir}/nope.yaml"], routes={}),
    dict(name="rule create bad extension", args=["rule", "create", "{dir}/rule.txt"], files={"rule.txt": RULE_YAML}, routes={}),
    dict(name="rule create list document", args=["rule", "create", "{dir}/rules.yaml"], files={"rules.yaml": "- name: a\n- name: b\n"}, routes={}),
    dict(name="rule update", args=["rule", "update", "examples.hello_rule", "{dir}/rule.yaml"], files={"rule.yaml": RULE_YAML}, routes={
        "GET /v1/rules/examples.hello_rule": [ok(CREATED)],
        "PUT /v1/rules/663200000000000000000032": [ok(CREATED)]}),
    dict(name="rule update same id", args=["rule", "update", "examples.hello_rule", "{dir}/rule.json", "-y"],
         files={"rule.json": json.dumps({"id": "663200000000000000000032", "name": "hello_rule", "pack": "examples", "enabled": True})}, routes={
        "GET /v1/rules/examples.hello_rule": [ok(CREATED)],
        "PUT /v1/rules/663200000000000000000032": [ok(CREATED)]}),
    dict(name="rule update other id", args=["rule", "update", "examples.hello_rule", "{dir}/rule.json"],
         files={"rule.json": json.dumps({"id": "663200000000000000000099", "name": "hello_rule"})}, routes={
        "GET /v1/rules/examples.hello_rule": [ok(CREATED)]}),
    dict(name="rule update missing rule", args=["rule", "update", "nope", "{dir}/rule.yaml"], files={"rule.yaml": RULE_YAML}, routes={}),
    dict(name="rule update rejected", args=["rule", "update", "examples.hello_rule", "{dir}/rule.yaml"], files={"rule.yaml": RULE_YAML}, routes={
        "GET /v1/rules/examples.hello_rule": [ok(CREATED)],
        "PUT /v1/rules/663200000000000000000032": [ok({"faultstring": "'trigger' is a required property"}, status=400)]}),
    dict(name="rule delete", args=["rule", "delete", "examples.sample_rule"], routes={
        RULE_GET: [ok(RULE)],
        "DELETE /v1/rules/663200000000000000000030": [{"status": 204, "body": ""}]}),
    dict(name="rule delete missing", args=["rule", "delete", "nope"], routes={}),
    dict(name="rule clone", args=["rule", "clone"], routes={}),
    # triggers
    dict(name="trigger list", args=["trigger", "list"], routes={
        "GET /v1/triggertypes?include_attributes=ref%2Cpack%2Cdescription": [ok([pick(WEBHOOK_TYPE, "ref", "pack", "description"), pick(TIMER_TYPE, "ref", "pack", "description")])]}),
    dict(name="trigger list pack all", args=["trigger", "list", "-p", "core", "-a", "all", "-y"], routes={
        "GET /v1/triggertypes?pack=core": [ok([TIMER_TYPE])]}),
    dict(name="trigger list empty", args=["trigger", "list"], routes={
        "GET /v1/triggertypes?include_attributes=ref%2Cpack%2Cdescription": [ok([])]}),
    dict(name="trigger get", args=["trigger", "get", "core.st2.webhook"], routes={
        "GET /v1/triggertypes/core.st2.webhook": [ok(WEBHOOK_TYPE)]}),
    dict(name="trigger get missing", args=["trigger", "get", "core.nope"], routes={}),
    dict(name="trigger getspecs", args=["trigger", "getspecs", "core.st2.webhook"], routes={
        "GET /v1/triggers/?type=core.st2.webhook": [ok([HOOK, HOOK2])]}),
    dict(name="trigger getspecs json", args=["trigger", "getspecs", "core.st2.IntervalTimer", "-j"], routes={
        "GET /v1/triggers/?type=core.st2.IntervalTimer": [ok([TIMER])]}),
    dict(name="trigger getspecs no ref", args=["trigger", "getspecs"], routes={}),
    dict(name="trigger getspecs help", args=["trigger", "getspecs", "-h"], env=["COLUMNS=80"], routes={}),
    dict(name="trigger delete", args=["trigger", "delete", "core.st2.webhook"], routes={
        "GET /v1/triggertypes/core.st2.webhook": [ok(WEBHOOK_TYPE)],
        "DELETE /v1/triggertypes/663200000000000000000080": [{"status": 404, "body": "{\"faultstring\": \"gone\"}"}]}),
    dict(name="trigger create", args=["trigger", "create", "{dir}/tt.json"],
         files={"tt.json": json.dumps({"name": "event", "pack": "mypack", "description": "An event.", "payload_schema": {"type": "object"}})}, routes={
        "POST /v1/triggertypes": [ok(doc(id="6632000000000000000000c0", ref="mypack.event", uid="trigger_type:mypack:event", name="event", pack="mypack", description="An event.", payload_schema={"type": "object"}, parameters_schema={}, tags=[]), status=201)]}),
    # trigger instances
    dict(name="trigger-instance list", args=["trigger-instance", "list"], routes={
        TI_Q: [ok([pick(TI2, "id", "trigger", "occurrence_time", "status"), pick(TI, "id", "trigger", "occurrence_time", "status")], headers={"X-Total-Count": "2"})]}),
    dict(name="trigger-instance list empty", args=["trigger-instance", "list"], routes={TI_Q: [ok([])]}),
    dict(name="trigger-instance list empty json", args=["trigger-instance", "list", "-j"], routes={TI_Q: [ok([])]}),
    dict(name="trigger-instance list filters note", args=["trigger-instance", "list", "-n", "1", "--trigger", "core.5e8a5b5d-0000", "--status", "processed", "-tg", "2024-01-01T00:00:00.000Z", "-tl", "2025-01-01T00:00:00.000Z"], routes={
        "GET /v1/triggerinstances/?include_attributes=id%2Ctrigger%2Coccurrence_time%2Cstatus&limit=1&trigger=core.5e8a5b5d-0000&timestamp_gt=2024-01-01T00%3A00%3A00.000Z&timestamp_lt=2025-01-01T00%3A00%3A00.000Z&status=processed":
            [ok([pick(TI, "id", "trigger", "occurrence_time", "status")], headers={"X-Total-Count": "5"})]}),
    dict(name="trigger-instance list all yaml", args=["trigger-instance", "list", "-a", "all", "-y"], routes={
        "GET /v1/triggerinstances/?limit=50": [ok([TI2, TI])]}),
    dict(name="trigger-instance get", args=["trigger-instance", "get", "663200000000000000000060"], routes={
        "GET /v1/triggerinstances/663200000000000000000060": [ok(TI)]}),
    dict(name="trigger-instance get missing", args=["trigger-instance", "get", "nope"], routes={}),
    dict(name="trigger-instance re-emit", args=["trigger-instance", "re-emit", "663200000000000000000060"], routes={
        "POST /v1/triggerinstances/663200000000000000000060/re_emit": [ok({"message": "Trigger instance 663200000000000000000060 succesfully re-sent.", "payload": {"body": {"name": "st2"}, "__context": {"original_id": "663200000000000000000060"}}})]}),
    dict(name="trigger-instance re-emit missing", args=["trigger-instance", "re-emit", "nope"], routes={}),
    dict(name="trigger-instance re-emit no id", args=["trigger-instance", "re-emit"], routes={}),
    # rule enforcements
    dict(name="rule-enforcement list", args=["rule-enforcement", "list"], routes={
        "GET /v1/ruleenforcements/?limit=50": [ok([ENF2, ENF], headers={"X-Total-Count": "2"})]}),
    dict(name="rule-enforcement list filters json", args=["rule-enforcement", "list", "--rule", "examples.sample_rule", "--execution", "663200000000000000000010", "--trigger-instance", "663200000000000000000060", "-tg", "2024-01-01T00:00:00Z", "-tl", "2025-01-01T00:00:00Z", "-n", "2", "-j"], routes={
        "GET /v1/ruleenforcements/?limit=2&trigger_instance=663200000000000000000060&execution=663200000000000000000010&rule_ref=examples.sample_rule&enforced_at_gt=2024-01-01T00%3A00%3A00Z&enforced_at_lt=2025-01-01T00%3A00%3A00Z":
            [ok([ENF2, ENF], headers={"X-Total-Count": "9"})]}),
    dict(name="rule-enforcement list note", args=["rule-enforcement", "list", "-n", "1", "-a", "id", "status"], routes={
        "GET /v1/ruleenforcements/?limit=1": [ok([ENF], headers={"X-Total-Count": "9"})]}),
    dict(name="rule-enforcement list empty", args=["rule-enforcement", "list"], routes={"GET /v1/ruleenforcements/?limit=50": [ok([])]}),
    dict(name="rule-enforcement list empty yaml", args=["rule-enforcement", "list", "-y"], routes={"GET /v1/ruleenforcements/?limit=50": [ok([])]}),
    dict(name="rule-enforcement get", args=["rule-enforcement", "get", "663200000000000000000071"], routes={
        "GET /v1/ruleenforcements/663200000000000000000071": [ok(ENF2)]}),
    dict(name="rule-enforcement get json", args=["rule-enforcement", "get", "663200000000000000000070", "-j"], routes={
        "GET /v1/ruleenforcements/663200000000000000000070": [ok(ENF)]}),
    dict(name="rule-enforcement delete", args=["rule-enforcement", "delete", "663200000000000000000070"], routes={
        "GET /v1/ruleenforcements/663200000000000000000070": [ok(ENF)],
        "DELETE /v1/ruleenforcements/663200000000000000000070": [ok({})]}),
    dict(name="rule-enforcement delete missing", args=["rule-enforcement", "delete", "nope"], routes={
        "GET /v1/ruleenforcements/?name=nope": [ok([])]}),
    # webhooks
    dict(name="webhook list", args=["webhook", "list"], routes={
        "GET /v1/webhooks?include_attributes=url%2Ctype%2Cdescription": [ok([HOOK, HOOK2])]}),
    dict(name="webhook list json", args=["webhook", "list", "-j"], routes={
        "GET /v1/webhooks?include_attributes=url%2Ctype%2Cdescription": [ok([HOOK, HOOK2])]}),
    dict(name="webhook list empty", args=["webhook", "list", "-p", "core"], routes={
        "GET /v1/webhooks?include_attributes=url%2Ctype%2Cdescription&pack=core": [ok([])]}),
    dict(name="webhook list without parameters", args=["webhook", "list"], routes={
        "GET /v1/webhooks?include_attributes=url%2Ctype%2Cdescription": [ok([pick(HOOK, "type", "description")])]}),
    dict(name="webhook get", args=["webhook", "get", "sample"], routes={"GET /v1/webhooks/sample": [ok(HOOK)]}),
    dict(name="webhook get with slash", args=["webhook", "get", "github/push", "-y"], routes={"GET /v1/webhooks/github/push": [ok(HOOK2)]}),
    dict(name="webhook get missing", args=["webhook", "get", "nope"], routes={}),
    # sensors
    dict(name="sensor list", args=["sensor", "list"], routes={
        "GET /v1/sensortypes?include_attributes=ref%2Cpack%2Cdescription%2Cenabled": [ok([pick(SENSOR, "ref", "pack", "description", "enabled")])]}),
    dict(name="sensor list pack", args=["sensor", "list", "-p", "linux", "-a", "ref", "trigger_types"], routes={
        "GET /v1/sensortypes?include_attributes=ref%2Ctrigger_types&pack=linux": [ok([pick(SENSOR, "ref", "trigger_types")])]}),
    dict(name="sensor get", args=["sensor", "get", "linux.FileWatchSensor"], routes={
        "GET /v1/sensortypes/linux.FileWatchSensor": [ok(SENSOR)]}),
    dict(name="sensor disable", args=["sensor", "disable", "linux.FileWatchSensor"], routes={
        "GET /v1/sensortypes/linux.FileWatchSensor": [ok(SENSOR)],
        "PUT /v1/sensortypes/6632000000000000000000b0": [ok(with_(SENSOR, enabled=False))]}),
    dict(name="sensor enable", args=["sensor", "enable", "linux.FileWatchSensor"], routes={
        "GET /v1/sensortypes/linux.FileWatchSensor": [ok(with_(SENSOR, enabled=False))],
        "PUT /v1/sensortypes/6632000000000000000000b0": [ok(SENSOR)]}),
    dict(name="sensor enable missing", args=["sensor", "enable", "linux.nope"], routes={}),
    # timers
    dict(name="timer list", args=["timer", "list"], routes={"GET /v1/timers": [ok([TIMER])]}),
    dict(name="timer list type", args=["timer", "list", "-ty", "core.st2.IntervalTimer", "-a", "ref", "parameters"], routes={
        "GET /v1/timers/?timer_type=core.st2.IntervalTimer": [ok([TIMER])]}),
    dict(name="timer list token flag", args=["timer", "list", "-t", TOKEN], routes={"GET /v1/timers/": [ok([TIMER])]}),
    dict(name="timer list empty", args=["timer", "list"], routes={"GET /v1/timers": [ok([])]}),
    dict(name="timer get", args=["timer", "get", "core.8c13d1f2-0000"], routes={"GET /v1/timers/core.8c13d1f2-0000": [ok(TIMER)]}),
    # more shapes
    dict(name="rule create yaml scalars", args=["rule", "create", "{dir}/rule.yml", "-j"], files={"rule.yml": RULE_YAML_SCALARS}, routes={
        "POST /v1/rules": [ok(with_(CREATED, description="Caf\u00e9 \u2615 rule"), status=201)]}),
    dict(name="rule list all table", args=["rule", "list", "-a", "all"], routes={
        "GET /v1/rules/?limit=50": [ok([pick(RULE, "id", "ref", "enabled", "tags")])]}),
    dict(name="rule list json no note", args=["rule", "list", "-n", "1", "-j"], routes={
        "GET /v1/rules/?include_attributes=ref%2Cpack%2Cdescription%2Cenabled&limit=1": [ok([pick(RULE, "ref", "pack", "description", "enabled")], headers={"X-Total-Count": "7"})]}),
    dict(name="rule get api key flag", args=["rule", "get", "examples.sample_rule", "--api-key", "ZjQ5NjZlYzVlNmJk", "-a", "ref"], env=["ST2_AUTH_TOKEN="], routes={RULE_GET: [ok(RULE)]}),
    dict(name="rule disable token flag", args=["rule", "disable", "examples.sample_rule", "-t", "tok123", "-y"], env=["ST2_AUTH_TOKEN="], routes={
        RULE_GET: [ok(RULE)],
        "PUT /v1/rules/663200000000000000000030": [ok(with_(RULE, enabled=False))]}),
    dict(name="trigger-instance get yaml", args=["trigger-instance", "get", "663200000000000000000061", "-y"], routes={
        "GET /v1/triggerinstances/663200000000000000000061": [ok(TI2)]}),
    dict(name="trigger-instance re-emit no message", args=["trigger-instance", "re-emit", "663200000000000000000060"], routes={
        "POST /v1/triggerinstances/663200000000000000000060/re_emit": [ok({"payload": {}})]}),
    dict(name="rule-enforcement update by name", args=["rule-enforcement", "update", "enf1", "{dir}/enf.yaml"], files={"enf.yaml": "failure_reason: retried\nstatus: succeeded\n"}, routes={
        "GET /v1/ruleenforcements/?name=enf1": [ok([ENF])],
        "PUT /v1/ruleenforcements/663200000000000000000070": [ok(with_(ENF, failure_reason="retried"))]}),
    dict(name="rule-enforcement delete two named", args=["rule-enforcement", "delete", "enf1"], routes={
        "GET /v1/ruleenforcements/?name=enf1": [ok([ENF, ENF2])]}),
    dict(name="rule-enforcement clone", args=["rule-enforcement", "clone"], routes={}),
    dict(name="sensor list json", args=["sensor", "list", "-j"], routes={
        "GET /v1/sensortypes?include_attributes=ref%2Cpack%2Cdescription%2Cenabled": [ok([pick(SENSOR, "ref", "pack", "description", "enabled")])]}),
    dict(name="webhook list sorted", args=["webhook", "list", "-a", "url", "ref"], routes={
        "GET /v1/webhooks?include_attributes=url%2Cref": [ok([with_(HOOK, parameters={"url": "b"}), with_(HOOK2, parameters={"url": "A"}), with_(HOOK, ref="core.x", parameters={"url": "a/b"})])]}),
    dict(name="webhook list missing url", args=["webhook", "list"], routes={
        "GET /v1/webhooks?include_attributes=url%2Ctype%2Cdescription": [ok([with_(HOOK, parameters={})])]}),
    dict(name="timer list yaml", args=["timer", "list", "-y"], routes={"GET /v1/timers": [ok([TIMER])]}),
    dict(name="trigger update", args=["trigger", "update", "mypack.event", "{dir}/tt.yaml"], files={"tt.yaml": "name: event\npack: mypack\ndescription: Changed.\n"}, routes={
        "GET /v1/triggertypes/mypack.event": [ok(doc(id="6632000000000000000000c0", ref="mypack.event", name="event", pack="mypack"))],
        "PUT /v1/triggertypes/6632000000000000000000c0": [ok(doc(id="6632000000000000000000c0", ref="mypack.event", name="event", pack="mypack", description="Changed."))]}),
    # help
    dict(name="rule branch help", args=["rule", "-h"], env=["COLUMNS=80"], routes={}),
    dict(name="trigger-instance branch help", args=["trigger-instance", "-h"], env=["COLUMNS=80"], routes={}),
    dict(name="rule-enforcement list help", args=["rule-enforcement", "list", "-h"], env=["COLUMNS=80"], routes={}),
    dict(name="rule list help", args=["rule", "list", "-h"], env=["COLUMNS=80"], routes={}),
    dict(name="sensor get help", args=["sensor", "get", "-h"], env=["COLUMNS=80"], routes={}),
    dict(name="webhook branch help", args=["webhook", "-h"], env=["COLUMNS=80"], routes={}),
    dict(name="rule unknown subcommand", args=["rule", "show"], env=["COLUMNS=80"], routes={}),
    dict(name="trigger-instance list help", args=["trigger-instance", "list", "-h"], env=["COLUMNS=80"], routes={}),
    dict(name="rule update help", args=["rule", "update", "-h"], env=["COLUMNS=80"], routes={}),
    dict(name="timer list help", args=["timer", "list", "-h"], env=["COLUMNS=80"], routes={}),
]


class Fake(BaseHTTPRequestHandler):
    routes = {}
    served = {}
    log = []
    headers = []

    def log_message(self, *a):
        pass

    def handle_one(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode() if n else ""
        key = self.command + " " + self.path
        Fake.log.append(key + (" " + body if body else ""))
        Fake.headers.append("|".join(self.headers.get(h, "") for h in ("Content-Type", "X-Auth-Token", "St2-Api-Key")))
        replies = Fake.routes.get(key)
        if replies is None:
            status, data, headers = 404, json.dumps({"faultstring": "fake: no route for " + key}), {}
        else:
            i = min(Fake.served.get(key, 0), len(replies) - 1)
            Fake.served[key] = Fake.served.get(key, 0) + 1
            r = replies[i]
            status, data, headers = r["status"], r["body"], r.get("headers", {})
        raw = data.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    do_GET = do_POST = do_PUT = do_DELETE = handle_one


def main():
    launcher = os.environ["ST2_OFFICIAL_CLI"]
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Fake)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % srv.server_address[1]
    out = []
    for case in CASES:
        with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as d:
            for name, text in case.get("files", {}).items():
                with open(os.path.join(d, name), "w") as f:
                    f.write(text)
            env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": home,
                   "ST2_API_URL": base + "/v1", "ST2_AUTH_URL": base + "/auth",
                   "ST2_STREAM_URL": base + "/stream/v1", "ST2_AUTH_TOKEN": TOKEN, "COLUMNS": "120"}
            for kv in case.get("env", []):
                k, v = kv.split("=", 1)
                env[k] = v
            Fake.routes, Fake.served, Fake.log, Fake.headers = case["routes"], {}, [], []
            args = [a.replace("{dir}", d) for a in case["args"]]
            p = subprocess.run([launcher] + args, env=env, capture_output=True, text=True, timeout=60)
            clean = lambda s: s.replace(base, "{url}").replace(d, "{dir}")
            out.append(dict(case, requests=[clean(r) for r in Fake.log], headers=Fake.headers, stdout=clean(p.stdout),
                            stderr=clean(p.stderr), code=p.returncode))
    srv.shutdown()
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
