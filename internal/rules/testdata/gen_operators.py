#!/usr/bin/env python3
"""Regenerates operators_python.json from StackStorm's own operators.py.

Usage: gen_operators.py /path/to/st2/st2common/st2common/operators.py > operators_python.json

Needs python-dateutil and jsonpath-ng (for the stubbed payload lookup).
StackStorm's modules are not imported: the few names operators.py takes
from st2common are stubbed below, with the clock fixed at NOW.

results[op][i] holds one token per pattern for values[i]: T (true),
F (false), E<n> (errors[n] was raised), - (not generated: dateutil reads
a bare number as a day of the current month, which depends on the day the
file is generated).
"""
import datetime
import json
import sys
import types

import dateutil.parser
import dateutil.tz
from jsonpath_ng import parse as jsonpath_parse

NOW = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=dateutil.tz.tzutc())


def stub(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


def parse_date(value):
    dt = dateutil.parser.parse(str(value))
    if not dt.tzinfo:
        dt = dt.replace(tzinfo=dateutil.tz.tzutc())
    return dt.astimezone(dateutil.tz.tzutc())


class PayloadLookup:
    def __init__(self, payload, prefix="trigger"):
        self.context = {prefix: payload}

    def get_value(self, key):
        found = [m.value for m in jsonpath_parse(key).find(self.context)]
        return found or None


stub("st2common")
stub("st2common.util")
stub("st2common.util.date", get_datetime_utc_now=lambda: NOW, parse=parse_date)
sys.modules["st2common.util"].date = sys.modules["st2common.util.date"]
stub("st2common.constants")
stub("st2common.constants.rules", TRIGGER_ITEM_PAYLOAD_PREFIX="item")
stub("st2common.util.payload", PayloadLookup=PayloadLookup)

operators = types.ModuleType("operators")
with open(sys.argv[1]) as f:
    exec(compile(f.read(), "operators.py", "exec"), operators.__dict__)

VALUES = [None, True, False, 0, 1, 1.0, 2, -1, 1.5, "", "a", "abc", "ABC", "1", "True",
          "v1\n", "foo bar", "FOO", "İx", "a.b[c]", [], [1], ["a", "b"], ["abc"], {}, {"a": 1},
          {"abc": 2}, "2024-05-01T11:59:55Z", "2024-05-01 11:59:59.5", "2014-07-01T00:01:01.000000",
          "2024-05-01T13:00:00+02:00"]
PATTERNS = [None, True, 0, 1, 1.0, 10, "", "a", "A", "abc", "1", "10", "b", "v1$", "^v1$", "a*",
            "?b?", "[a-c]*", "[!a]*", "(", "a.b[c]", "foo|bar", [], ["a", "abc", 1], {"a": 1}]
OPS = ["equals", "nequals", "iequals", "contains", "icontains", "ncontains", "incontains",
       "startswith", "istartswith", "endswith", "iendswith", "lessthan", "greaterthan",
       "matchwildcard", "matchregex", "regex", "iregex", "timediff_lt", "timediff_gt", "exists",
       "nexists", "inside", "ninside"]


def day_of_month_trap(op, v):
    if not op.startswith("timediff"):
        return False
    if isinstance(v, str):
        return v.isdigit()
    return v is not None and not isinstance(v, (list, dict))


def main():
    errors, results = [], {}
    for op in OPS:
        fn = operators.get_operator(op)
        rows = []
        for v in VALUES:
            toks = []
            for p in PATTERNS:
                if day_of_month_trap(op, v):
                    toks.append("-")
                    continue
                try:
                    toks.append("T" if fn(v, p) else "F")
                except Exception as e:
                    text = "%s: %s" % (type(e).__name__, e)
                    if text not in errors:
                        errors.append(text)
                    toks.append("E%d" % errors.index(text))
            rows.append(" ".join(toks))
        results[op] = rows
    doc = {"now": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), "values": VALUES, "patterns": PATTERNS,
           "errors": errors, "results": results}
    print(json.dumps(doc, ensure_ascii=False, indent=1))


main()
