#!/usr/bin/python3
"""Generates funcs.jsonl: results Python gives for StackStorm's
expression functions (called the way st2common/expressions/functions
calls its libraries), Python arithmetic, %-formatting, json.dumps and
PyYAML, the reference for expr's golden test.
Run: /usr/bin/python3 gen_funcs.py > funcs.jsonl
(needs python3-yaml, python3-jsonpath-rw, python3-semver)."""
import json, math, os, re, sys, datetime, random
import yaml, jsonpath_rw, semver

def regex_flags(ic): return re.I if ic else 0
def regex_match(v, p, ignorecase=False):
    return bool(re.match(p, v if isinstance(v, str) else str(v), regex_flags(ignorecase)))
def regex_search(v, p, ignorecase=False):
    return bool(re.search(p, v if isinstance(v, str) else str(v), regex_flags(ignorecase)))
def regex_replace(v, p, r, ignorecase=False):
    return re.compile(p, regex_flags(ignorecase)).sub(r, v if isinstance(v, str) else str(v))
def regex_substring(v, p, result_index=0, ignorecase=False):
    return re.findall(p, v if isinstance(v, str) else str(v), regex_flags(ignorecase))[result_index]
def V(v): return semver.VersionInfo.parse(v)
def version_compare(a, b): return V(a).compare(b)
def version_match(a, b): return V(a).match(b)
def version_bump_major(a): return str(V(a).bump_major())
def version_bump_minor(a): return str(V(a).bump_minor())
def version_bump_patch(a): return str(V(a).bump_patch())
def version_strip_patch(a): v = V(a); return f"{v.major}.{v.minor}"
def to_json_string(v, indent=None, sort_keys=False, separators=(",", ": ")):
    o = {}
    if indent is not None: o["indent"] = indent
    if sort_keys is not None: o["sort_keys"] = sort_keys
    if separators is not None: o["separators"] = separators
    return json.dumps(v, **o)
def to_yaml_string(v, indent=None, allow_unicode=True):
    o = {"default_flow_style": False}
    if indent is not None: o["indent"] = indent
    if allow_unicode is not None: o["allow_unicode"] = allow_unicode
    return yaml.dump(v, Dumper=yaml.SafeDumper, **o)
def from_yaml_string(v): return yaml.load(str(v), Loader=yaml.SafeLoader)
def from_json_string(v): return json.loads(str(v))
def json_escape(v): return json.dumps(v).strip('"')
def jsonpath_query(v, q):
    m = [x.value for x in jsonpath_rw.parse(q).find(v)]
    return m or None
def to_human_time_from_seconds(s):
    assert isinstance(s, (int, float))
    if s == 0: return "0s"
    if s < 1: return "%s\u03bcs" % s
    if isinstance(s, float): s = int(round(s))
    d = datetime.datetime(1, 1, 1) + datetime.timedelta(seconds=s)
    parts = [d.year - 1, d.day - 1, d.hour, d.minute, d.second]
    while parts and not parts[0]: parts.pop(0)
    if not parts: return "0s"
    return "".join(f"{p}{u}" for p, u in zip(parts, "ydhms"[-len(parts):]))
def basename(p): return os.path.basename(p)
def dirname(p): return os.path.dirname(p)
def use_none(v): return "%*****__%NONE%__*****%" if v is None else v
def to_complex(v): return json.dumps(v)

OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
       "//": lambda a, b: a // b, "%": lambda a, b: a % b, "**": lambda a, b: a ** b}

def run(fn, args, kwargs):
    out = {"fn": fn, "args": args}
    if kwargs: out["kwargs"] = kwargs
    try:
        if fn.startswith("op:"):
            a, b = args
            if isinstance(b, list) and fn == "op:%": b = tuple(b)
            r = OPS[fn[3:]](a, b)
        elif fn == "repr":
            r = args[0]
        elif fn == "cmp":
            r = [args[0] < args[1], args[0] <= args[1], args[0] == args[1]]
        else:
            r = globals()[fn](*args, **kwargs)
        out["repr"] = repr(r)
        out["type"] = type(r).__name__
    except Exception as e:
        out["error"] = type(e).__name__
        out["message"] = str(e).split("\n")[0]
    return out

C = []
def c(fn, *args, **kwargs): C.append(run(fn, list(args), kwargs))

# float and int rendering
for f in [0.0, -0.0, 1.0, 1.5, 0.1, 1/3, 2/3, 1e16, 1e15, 123456789012345678.0, 1e-4, 1e-5, 0.0001234, 1e22, 1.7976931348623157e308,
          5e-324, 100.0, 12345.678, 3.141592653589793, 2.5e-7, 1e100, -1.25e-10]:
    c("repr", f)
random.seed(7)
for _ in range(40):
    c("repr", random.uniform(-1e6, 1e6)); c("repr", random.random() * 10 ** random.randint(-30, 30))
c("repr", 10**30); c("repr", -(2**63)); c("repr", "it's"); c("repr", 'say "hi"'); c("repr", "both ' and \""); c("repr", "tab\tnl\n\x00\x7f é ✓ \u200b")
# arithmetic
nums = [0, 1, -1, 7, -7, 2, 3, 2**62, -(2**63), 2**64, 0.5, -2.5, 3.0, 1e308, True, False]
for op in ["+", "-", "*", "/", "//", "%", "**"]:
    for a in [7, -7, 2**62, 1.5, -2.5, True, 2**64]:
        for b in [2, -2, 0, 3.0, -0.5, 63, True]:
            if op == "**" and isinstance(a, int) and isinstance(b, int) and abs(a) > 10 and b > 10:
                continue
            c("op:" + op, a, b)
for a, b in [("ab", "cd"), ("ab", 3), (3, "ab"), ("ab", -1), ([1], [2]), ([1, 2], 2), ("a", 1), (1, "a"), ([1], "a"), (None, 1)]:
    c("op:+", a, b); c("op:*", a, b)
# comparisons
for a, b in [(1, 1.0), (1, 2), ("a", "b"), ("b", "a"), ([1, 2], [1, 3]), ([1], [1, 0]), (True, 1), (1, "a"), (None, None), (None, 1), ("é", "z"), ("Z", "a")]:
    c("cmp", a, b)
# percent formatting
for f, a in [("%s", "x"), ("%s|%r", ["a", "a"]), ("%d", 3.99), ("%5d|%-5d|%05d", [42, 42, 42]), ("%+d % d", [5, 5]), ("%x %X %#x %o %#o", [255, 255, 255, 8, 8]),
             ("%f %.2f %10.3f %-10.1f|", [3.14159, 3.14159, 3.14159, 3.14159]), ("%e %.3E", [12345.678, 0.00012]), ("%g %g %g %g %G", [0.0001, 0.00001, 123456, 1234567, 1e-10]),
             ("%.3g %#g", [3.14159, 1.0]), ("%c%c", [65, "b"]), ("%%", []), ("%s", [[1, 2]]), ("%s %s", [1]), ("%s", [1, 2]), ("%d", "a"), ("%(a)s %(b)05.1f", {"a": 1, "b": 2.25}),
             ("%s", {"a": 1}), ("%5.1s|", "abc"), ("%*d|%-*d|", [5, 1, 4, 2]), ("%.*f", [2, 3.14159]), ("%i %u", [3, 4]), ("%z", [1]), ("%", [1]), ("%s %s", None), ("%r", None),
             ("%s", True), ("%d", True), ("%.0f %.0f %.0f", [0.5, 1.5, 2.5]), ("%s", 1e16), ("%s", -0.0), ("%5s|%-6s|", ["é", "ü"])]:
    C.append(run("op:%", [f, a], {}))
# json.dumps through to_json_string / to_complex / json_escape
docs = [{"b": 1, "a": [1, 2.5, None, True]}, [], {}, "é ✓ \U0001F600", {"n": {"m": [{"x": "y"}]}}, 1e16, -0.0, [1, [2, [3]]], {"k": "line\nbreak\t\"q\""}]
for d in docs:
    c("to_json_string", d); c("to_json_string", d, 2); c("to_json_string", d, None, True); c("to_json_string", d, 4, True, [",", ":"])
    c("to_json_string", d, indent=" ", separators=None); c("to_complex", d); c("json_escape", d)
c("to_json_string", {"1": 1}, sort_keys=True)
# YAML
ydocs = [{"b": [1, 2], "a": "x"}, {"a": {"b": "yes", "c": "no", "d": "on", "e": "1", "f": "1.5", "g": "", "h": "null", "i": "~", "j": "2020-01-02"}},
         [{"a": 1, "b": [1, {"c": 2}]}, [1, [2, 3]], [], {}], "plain", "with: colon", "- dash", "#hash", "trailing ", " leading", "multi\nline\n", "tab\there",
         "quote's", "é unicode ✓", "a" * 100, " ".join(["word"] * 30), 1, 1.5, 1e20, None, True, {"k": None, "t": True, "f": 1.0},
         {"list": ["a b", "c: d", "@x", "`y", "!z", "%p", "&q", "*r", "|s", ">t", "?u", "? v", "[w", "{x", "'y", '"z', "- ", ":", "-"]},
         {"nested": {"deep": {"deeper": ["x", {"y": "z"}]}}}, {"long": "this is a long string " * 8}, {"ml": "first\nsecond\n\nfourth"},
         ["0777", "0x1F", "1_000", "1e3", "1.0e+3", ".5", "+1", "-.inf", ".NaN", "12:30", "190:20:30", "Yes", "TRUE", "off", "=", "<<"]]
for d in ydocs:
    c("to_yaml_string", d); c("to_yaml_string", d, 4); c("to_yaml_string", d, None, False)
for y in ["a: 1\nb: [1, 2]\n", "yes", "No", "on", "0777", "0o17", "0x1F", "1_000", "1e3", "1.0e+3", "1.5", ".inf", "-.Inf", ".nan", "12:30", "~", "null", "",
          "a: &x {k: 1}\nb: *x\n", "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n", "- a\n- b: c\n  d: e\n", "'quoted: yes'", "\"dq\\n\"", "k: |\n  lit\n  block\n",
          "k: >\n  folded\n  text\n", "!!str 123", "!!int '7'", "!!float 1", "a: 1\n---\nb: 2\n", "{a: 1, b: [x, y]}", "[1, 2.5, true, null, 'x']", "a: b: c", "2020-01-02", "1:2:3.5"]:
    c("from_yaml_string", y)
for j in ['{"a": [1, 2.5, "x", null, true]}', '[1e2, 1E-2, -0, 12345678901234567890]', '"s"', '{"a": 1, "a": 2}', '{', '[1,]', 'NaN', '{"a": 1} x', '"\\u00e9\\ud83d\\ude00"']:
    c("from_json_string", j)
# regex
for args in [("v1.2.3", r"v\d"), ("xv1", r"v\d"), ("ABC", "abc", True), ("abc", "^b"), ("a\nb", "b$"), ("abc", r"(?P<x>b)"), (123, r"\d+"), ("abc", "(")]:
    c("regex_match", *args); c("regex_search", *args)
for args in [("a-b-c", "-", "+"), ("john smith", r"(\w+) (\w+)", r"\2, \1"), ("ab", "(?P<x>a)", r"[\g<x>]"), ("aaa", "a", "b"), ("abc", "x*", "-"),
             ("tab", "a", r"\t"), ("A-a", "a", "x", True), ("abc", "(b)", r"\g<1>\g<1>"), ("abc", "b", r"\9"), (5, "5", "five")]:
    c("regex_replace", *args)
for args in [("v1.2 v3.4", r"v\d\.\d", 1), ("k=v", r"(\w)=(\w)"), ("abc", "z"), ("abc", "(a)(b)?(x)?"), ("aXbX", "x", 1, True), ("abc", ".", -1)]:
    c("regex_substring", *args)
# versions
for a, b in [("1.2.0", "1.10.0"), ("1.0.0", "1.0.0-rc.1"), ("1.0.0-alpha", "1.0.0-alpha.1"), ("1.0.0-alpha.1", "1.0.0-alpha.beta"), ("1.0.0-beta.2", "1.0.0-beta.11"),
             ("1.0.0-rc.1", "1.0.0"), ("2.0.0", "2.0.0+build"), ("1.2", "1.2.0"), ("1.2.3", "1.2.4-x"), ("10.0.0", "9.9.9")]:
    c("version_compare", a, b)
for a, b in [("1.2.3", ">=1.2.0"), ("1.2.3", "<1.2.3"), ("1.2.3", "==1.2.3"), ("1.2.3", "!=1.2.3"), ("1.2.3", ">1.2.2"), ("1.2.3", "<=1.2.3"), ("1.2.3", "~1.2"), ("1.2.3", "1.2.3")]:
    c("version_match", a, b)
for v in ["1.2.3", "1.2.3-rc.1+b5", "0.0.0", "1.2"]:
    c("version_bump_major", v); c("version_bump_minor", v); c("version_bump_patch", v); c("version_strip_patch", v)
# jsonpath
doc = {"store": {"book": [{"title": "A", "price": 8.95, "tags": ["x"]}, {"title": "B", "price": 12.99}], "bicycle": {"color": "red", "price": 19.95}}, "n": [[1, 2], [3]]}
for q in ["store.book[*].title", "$.store.book[0].title", "$..price", "store.bicycle", "store.book[1]", "store.book[-1].title", "store.*.color", "n[*][0]",
          "store.book[0:1].title", "nope", "$.store.book[*].tags[0]", "store.book[*].title,price", "$..book[*].title", "store.bicycle.color|n", "store.book[*] where tags", "`this`.n"]:
    c("jsonpath_query", doc, q)
# time, paths, misc
for s in [0, 0.5, 1, 59, 60, 61, 3599, 3600, 3723, 86399, 86400, 90061, 2678400, 31536000, 31622400, 40000000, 1.6, 2.5, 3.5, 1e-7]:
    c("to_human_time_from_seconds", s)
for p in ["/etc/st2/st2.conf", "/etc/st2/", "st2.conf", "/", "//x", "a//b", "///a//", "", "./a/b", "a/"]:
    c("basename", p); c("dirname", p)
c("use_none", None); c("use_none", 0)

for x in C:
    sys.stdout.write(json.dumps(x, ensure_ascii=False) + "\n")
