#!/usr/bin/python3
"""Generates cases.jsonl: Jinja templates rendered by Python's Jinja2
configured as StackStorm configures it (SandboxedEnvironment,
StrictUndefined, trim_blocks, lstrip_blocks), the reference for
jinja's golden test. Run: /usr/bin/python3 gen_cases.py > cases.jsonl
(needs python3-jinja2)."""
import copy, json, math, sys
import jinja2, jinja2.sandbox

VARS = {
    "x": 1, "y": 2.5, "n": -3, "big": 12345678901234567890, "name": "Stanley",
    "s": "Hello World", "e": "", "sp": "  padded  ", "ml": "line1\nline2\n\nline4",
    "xs": [1, 2, 3], "ys": ["b", "a", "C"], "fs": [1.5, 0.25, 3.0], "empty": [],
    "d": {"a": 1, "b": 2}, "dd": {"b": {"c": [1, {"e": "deep"}]}, "a": None},
    "users": [{"name": "alice", "age": 31, "admin": True, "tags": ["x"]},
              {"name": "bob", "age": 25, "admin": False, "tags": []},
              {"name": "Carol", "age": 40, "admin": True, "tags": ["y", "z"]}],
    "none": None, "t": True, "f": False, "num_str": "42", "float_str": "4.5",
    "html": "<a href='x'>&\"</a>", "csv": "a,b,,c", "words": "the quick brown fox jumps over the lazy dog",
    "nested": [[1, 2], [3, 4]], "pairs": [["k1", "v1"], ["k2", "v2"]],
    "uni": "héllo wörld ✓", "items": {"items": 1, "keys": 2, "get": 3},
    "mixed": [3, "a"], "hosts": ["web1.example.com", "db1.example.com"],
}

def mk(undefined):
    env = jinja2.sandbox.SandboxedEnvironment(undefined=undefined, trim_blocks=True, lstrip_blocks=True)
    env.tests["in"] = lambda item, lst: item in lst
    return env

ENVS = {"strict": mk(jinja2.StrictUndefined), "lenient": mk(jinja2.Undefined)}

def loose(v):
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, dict):
        return {str(k) if not isinstance(k, str) else k: loose(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [loose(x) for x in v]
    return repr(v)

def case(tmpl, env="strict", mode="render", **extra):
    out = {"template": tmpl, "env": env, "mode": mode}
    ctx = copy.deepcopy(VARS)
    ctx.update(extra)
    if extra:
        out["vars"] = extra
    e = ENVS[env]
    try:
        if mode == "render":
            out["result"] = e.from_string(tmpl).render(ctx)
        else:
            v = e.compile_expression(tmpl, undefined_to_none=False)(**ctx)
            if isinstance(v, jinja2.Undefined):
                out["undefined"] = True
            else:
                if hasattr(v, "__next__"):
                    v = list(v)
                out["result"] = loose(v)
                out["type"] = type(v).__name__
                out["repr"] = repr(v)
    except Exception as ex:
        out["error"] = type(ex).__name__
        out["message"] = str(ex).split("\n")[0]
    return out

T = []
def R(*ts, **kw):
    for t in ts: T.append(case(t, **kw))
def X(*ts, **kw):
    for t in ts: T.append(case(t, mode="expr", **kw))

# literals and operators
X("1", "-1", "1.5", "1e3", "1_000", "0x1F", "0o17", "0b101", "'a' 'b'", '"q\\"x"', "'\\n\\t\\x41\\u00e9'",
  "true", "True", "none", "None", "[1, 'a', none]", "(1,)", "()", "(1, 2)", "{'a': 1, 2: 'b'}", "{}",
  "1 + 2 * 3", "(1 + 2) * 3", "7 / 2", "7 // 2", "-7 // 2", "7 % 3", "-7 % 3", "7.5 % 2", "2 ** 10", "2 ** -1",
  "2 ** 3 ** 2", "-2 ** 2", "10 / 4", "1 / 3", "0.1 + 0.2", "1e300 * 1e10", "big + 1", "big * big", "2 ** 100",
  "'a' ~ 1 ~ none ~ true", "'ab' * 3", "[1] * 3", "[1, 2] + [3]", "'x' + 'y'", "1 + 'a'", "'a' + 1", "1 / 0", "1 // 0",
  "1 % 0", "1.0 / 0", "x + y", "n * -1", "not 0", "not []", "not 'a'", "1 and 2", "0 or 'b'", "none or []",
  "1 < 2 < 3", "3 > 2 > 2", "1 == 1.0", "1 == true", "'a' < 'b'", "[1, 2] < [1, 3]", "(1, 2) == (1, 2)", "[1] == (1,)",
  "1 < 'a'", "none == none", "none < 1", "'a' in 'cat'", "'z' not in 'cat'", "1 in [1, 2]", "'a' in d", "3 in d",
  "1 in 'abc'", "'x' if t else 'y'", "'x' if f else 'y'", "'x' if f", "x if x > 5 else (y if y > 2 else 'no')",
  "{'a': 1} == {'a': 1}", "[1, [2, 3]][1][0]", "xs[-1]", "xs[5]", "xs[1:]", "xs[:-1]", "xs[::-1]", "xs[::2]",
  "s[0]", "s[-1]", "s[1:4]", "s[100]", "d['a']", "d.a", "d['z']", "d.z", "dd.b.c[1].e", "dd['b']['c'][0]",
  "dd.a", "dd.a.b", "users[0].name", "users[1]['age']", "xs.0", "nested.1.0", "items.items", "items['items']",
  "items.keys", "items['get']", "s.upper", "''.__class__", "d.__class__", "d._private", "x.real", "y.real",
  "1.5.is_integer()", "undefined_var", "undefined_var.attr", "d.missing.attr", "range(3)", "range(1, 10, 3)",
  "range(100001)", "dict(a=1, b=2)", "dict([['a', 1]])", "namespace(a=1)", "lipsum is defined",
  "x is defined", "zz is defined", "zz is undefined", "(zz is defined) or 1")
# string methods
X("s.upper()", "s.lower()", "s.title()", "'hello wORLD'.capitalize()", "s.swapcase()", "sp.strip()",
  "sp.lstrip()", "sp.rstrip()", "'xxaxx'.strip('x')", "s.split()", "csv.split(',')", "csv.split(',', 1)",
  "'a  b c '.split()", "'a b c'.split(None, 1)", "'a b c'.rsplit(None, 1)", "'a,b,c'.rsplit(',', 1)",
  "ml.splitlines()", "ml.splitlines(true)", "','.join(ys)", "', '.join(['a'])", "'-'.join(xs)",
  "s.replace('l', 'L')", "s.replace('l', 'L', 2)", "s.startswith('Hell')", "s.startswith(('x', 'H'))",
  "s.endswith('ld')", "s.find('o')", "s.rfind('o')", "s.find('z')", "s.index('W')", "s.index('z')",
  "s.count('l')", "'x'.center(7, '*')", "'x'.ljust(3) ~ '|'", "'x'.rjust(3)", "'42'.zfill(5)", "'-42'.zfill(5)",
  "'a=b=c'.partition('=')", "'a=b=c'.rpartition('=')", "num_str.isdigit()", "s.isalpha()", "'abc1'.isalnum()",
  "'  '.isspace()", "'abc'.islower()", "'ABC'.isupper()", "'Hello World'.istitle()", "'{} and {}'.format(1, 'b')",
  "'{0}{1}{0}'.format('a', 'b')", "'{name}!'.format(name='x')", "'{:>6}|{:<4}|{:^5}'.format('a', 'b', 'c')",
  "'{:05.2f}'.format(3.14159)", "'{:,}'.format(1234567)", "'{:x} {:o} {:b} {:#x}'.format(255, 8, 5, 255)",
  "'{:.3}'.format(3.14159)", "'{:e}'.format(12345.678)", "'{:%}'.format(0.25)", "'{!r}'.format('a')",
  "'{0[a]}'.format(d)", "'{0.name}'.format(users[0])", "'{}'.format(none)", "'{:d}'.format(5)",
  "'%s' % 'a'", "'%s %s' % (1, 2)", "'%d' % 3.9", "'%05.1f' % 2.25", "'%x %X %o' % (255, 255, 8)",
  "'%(a)s-%(b)s' % d", "'%r' % 'x'", "'%-5s|' % 'ab'", "'%5s|' % 'ab'", "'%c' % 65", "'%%'  % ()",
  "'%s' % xs", "'%s' % (xs,)", "'%d' % 'a'", "'%s %s' % (1,)", "'%s' % (1, 2)", "'%.2e' % 12345.678",
  "'%g %g %g' % (0.0001, 1e20, 123.456)", "'%+d % d' % (5, 5)", "'%i' % true", "'%s' % none",
  "s.removeprefix('Hello ')", "'a\\tb'.split()", "uni.upper()", "'ß'.upper()")
# list/dict methods
X("d.keys()", "d.values()", "d.items()", "d.keys() | list", "d.get('a')", "d.get('z')", "d.get('z', 0)",
  "d.copy()", "xs.index(2)", "xs.count(1)", "xs.copy()", "(1, 2, 1).count(1)", "xs.append(4)", "xs.pop()",
  "d.pop('a')", "d.setdefault('q', 5)", "d.update({'c': 3})", "users[0].keys() | list", "dict(d, c=3)")
# filters
X("-3 | abs", "-2.5 | abs", "true | abs", "'a' | abs", "d | attr('a')", "users[0] | attr('name')", "s | attr('upper')",
  "xs | batch(2) | list", "xs | batch(2, 0) | list", "'hello' | capitalize", "'x' | center(5)", "'x' | center",
  "none | default('d')", "zz | default('d')", "'' | default('d')", "'' | default('d', true)", "zz | d", "0 | d(1, true)",
  "d | dictsort", "{'b': 1, 'A': 2, 'a': 3} | dictsort", "{'b': 1, 'A': 2} | dictsort(true)", "d | dictsort(false, 'value', true)",
  "html | escape", "html | e", "5 | escape", "1000 | filesizeformat", "1 | filesizeformat", "999 | filesizeformat",
  "1024 | filesizeformat(true)", "123456789 | filesizeformat", "10**30 | filesizeformat",
  "xs | first", "'abc' | first", "empty | first", "xs | last", "empty | last", "'4.5' | float", "'x' | float",
  "'x' | float(1.5)", "x | float", "'%s-%s' | format(1, 2)", "'%(a)s' | format(a=5)",
  "users | groupby('admin') | list", "users | groupby('admin') | map('first') | list", "ys | groupby('lower') | list",
  "ml | indent", "ml | indent(2, true)", "ml | indent(2, false, true)", "ml | indent('> ')", "'42' | int", "'4.7' | int",
  "'x' | int", "'x' | int(7)", "'0x1A' | int(0, 16)", "'0b11' | int(0, 0)", "4.9 | int", "true | int", "big | int",
  "d | items | list", "none | items | list", "zz | items | list", "xs | join", "xs | join(', ')",
  "users | join(', ', attribute='name')", "users | map(attribute='name') | join('/')", "xs | length", "s | length",
  "d | length", "xs | count", "d | list", "s | list", "'A' | lower", "xs | map('string') | list",
  "users | map(attribute='age') | list", "users | map(attribute='zz', default='?') | list", "users | map(attribute='tags.0') | list",
  "empty | map('upper') | list", "ys | map('upper') | list", "fs | map('round', 1) | list", "xs | max", "xs | min",
  "ys | max", "ys | min", "ys | max(case_sensitive=true)", "users | max(attribute='age')", "users | min(attribute='name')",
  "empty | max", "mixed | max", "d | pprint", "xs | pprint", "'x' | pprint", "xs | reject('odd') | list",
  "users | rejectattr('admin') | map(attribute='name') | list", "xs | select('odd') | list", "xs | select | list",
  "[0, 1, '', 'a', none] | select | list", "xs | select('gt', 1) | list", "xs | select('in', [1, 3]) | list",
  "users | selectattr('admin') | list | length", "users | selectattr('age', 'ge', 31) | map(attribute='name') | list",
  "users | selectattr('name', 'equalto', 'bob') | list", "s | replace('o', '0')", "s | replace('l', 'L', 1)",
  "xs | reverse | list", "s | reverse", "2.567 | round(2)", "2.5 | round", "3.5 | round", "-2.5 | round",
  "2.675 | round(2)", "42.55 | round(1, 'floor')", "42.51 | round(0, 'ceil')", "7 | round", "1234 | round(-2)",
  "html | safe", "[1,2,3,4,5] | slice(2) | list", "[1,2,3,4,5] | slice(3, 0) | list", "ys | sort", "ys | sort(true)",
  "ys | sort(case_sensitive=true)", "users | sort(attribute='age') | map(attribute='name') | list",
  "users | sort(attribute='admin,age') | map(attribute='name') | list", "mixed | sort", "x | string", "xs | string",
  "d | string", "none | string", "html | striptags", "'<p>a  b</p>\\n<!-- c --> &amp; d' | striptags", "xs | sum",
  "users | sum(attribute='age')", "fs | sum", "xs | sum(start=10)", "'hello world-foo (bar' | title",
  "d | tojson", "users[0] | tojson", "html | tojson", "xs | tojson(2)", "uni | tojson", "{'b': [1, {'a': none}]} | tojson",
  "sp | trim", "'xxhixx' | trim('x')", "words | truncate(9)", "words | truncate(9, true)", "words | truncate(20, false, '..', 0)",
  "words | truncate(255)", "'foo bar baz qux' | truncate(11)", "[3, 1, 3, 'a', 'A'] | unique | list",
  "['a', 'A'] | unique(true) | list", "users | unique(attribute='admin') | map(attribute='name') | list",
  "'A' | upper", "d | urlencode", "'a b&c/d' | urlencode", "[('a', 1), ('b c', 'd')] | urlencode", "5 | urlencode",
  "s | wordcount", "words | wordcount", "'a b c d e' | wordwrap(3)", "words | wordwrap(10)", "words | wordwrap(10, wrapstring='<br>')",
  "'supercalifragilistic word' | wordwrap(8)", "{'class': 'x', 'id': none} | xmlattr", "{'a': 1} | xmlattr(false)",
  "{'a b': 1} | xmlattr", "s | nosuchfilter", "xs | list | length", "ml | wordcount", "x | abs | string | length")
# tests
X("x is odd", "x is even", "2.0 is even", "9 is divisibleby 3", "9 is divisibleby(4)", "none is none", "x is none",
  "t is boolean", "x is boolean", "f is false", "t is true", "1 is true", "x is integer", "t is integer", "y is float",
  "x is float", "s is string", "d is mapping", "xs is mapping", "x is number", "t is number", "'1' is number",
  "xs is sequence", "s is sequence", "d is sequence", "x is sequence", "xs is iterable", "d is iterable", "x is iterable",
  "range is callable", "d.keys is callable", "x is callable", "t is sameas true", "x is sameas 1", "xs is sameas xs",
  "'abc' is lower", "'ABC' is upper", "'aBc' is lower", "2 is in xs", "2 is in(xs)", "5 is in xs", "1 is eq 1",
  "1 is equalto 1", "1 is == 1", "1 is ne 2", "1 is != 1", "3 is gt 2", "3 is greaterthan 2", "3 is > 3",
  "3 is ge 3", "3 is >= 4", "1 is lt 2", "1 is lessthan 2", "2 is < 1", "1 is le 1", "1 is <= 0", "'upper' is filter",
  "'nope' is filter", "'odd' is test", "'nope' is test", "x is not none", "zz is not defined", "x is nosuchtest",
  "zz is odd", "zz is none", "zz is string", "x is escaped", "html | e is string")
# undefined (strict and lenient)
for env in ("strict", "lenient"):
    R("{{ zz }}", "[{{ zz }}]", "{{ zz.a }}", "{{ zz | default('d') }}", "{% if zz %}y{% else %}n{% endif %}",
      "{% for a in zz %}{{ a }}{% else %}empty{% endfor %}", "{{ zz ~ 'x' }}", "{{ zz + 1 }}", "{{ zz == 1 }}",
      "{{ zz | length }}", "{{ zz | list }}", "{{ zz is defined }}", "{{ d.zz }}", "{{ [zz] }}", "{{ zz | string }}",
      "{{ zz | lower }}", "{{ zz | join }}", "{{ zz | int }}", "{{ 1 in zz }}", "{{ zz() }}", "{{ not zz }}",
      "{{ zz | items | list }}", "{{ (zz, 1) | first }}", "{{ xs[10] }}", env=env)
# statements
R("{% if x %}a{% elif y %}b{% else %}c{% endif %}", "{% if f %}a{% elif y %}b{% else %}c{% endif %}",
  "{% if f %}a{% elif none %}b{% else %}c{% endif %}", "{% for i in xs %}{{ i }}{% endfor %}",
  "{% for i in xs %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}",
  "{% for i in xs %}{{ loop.cycle('odd', 'even') }} {% endfor %}", "{% for i in [] %}x{% else %}none{% endfor %}",
  "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", "{% for k in d %}{{ k }}{% endfor %}",
  "{% for a, b in pairs %}{{ a }}:{{ b }} {% endfor %}", "{% for a, b in xs %}{% endfor %}",
  "{% for c in 'abc' %}{{ c }}-{% endfor %}", "{% for i in xs if i > 1 %}{{ i }}{{ loop.length }}{% endfor %}",
  "{% for i in xs %}{% if loop.previtem is defined %}{{ loop.previtem }}{% endif %}>{{ i }} {% endfor %}",
  "{% for i in xs %}{{ loop.nextitem | default('end') }} {% endfor %}",
  "{% for i in [1,1,2] %}{% if loop.changed(i) %}{{ i }}{% endif %}{% endfor %}",
  "{% for row in nested %}{% for c in row %}{{ loop.depth }}{{ c }}{% endfor %}|{% endfor %}",
  "{% for i in [1, [2, [3]]] recursive %}{% if i is iterable %}[{{ loop(i) }}]{% else %}{{ i }}{{ loop.depth }}{% endif %}{% endfor %}",
  "{% set a = 1 %}{{ a }}", "{% set a, b = 1, 2 %}{{ b }}{{ a }}", "{% set a = [1, 2] %}{{ a | sum }}",
  "{% set c = 0 %}{% for i in xs %}{% set c = c + i %}{% endfor %}{{ c }}",
  "{% set ns = namespace(c=0) %}{% for i in xs %}{% set ns.c = ns.c + i %}{% endfor %}{{ ns.c }}",
  "{% set l = [] %}{% for i in xs %}{{ l.append(i * 2) }}{% endfor %}{{ l }}",
  "{% set l = [] %}{% for i in xs %}{% set _ = l.append(i) %}{% endfor %}{{ l | length }}",
  "{% set dd2 = {} %}{% for u in users %}{% set _ = dd2.update({u.name: u.age}) %}{% endfor %}{{ dd2 }}",
  "{% set x = 5 %}{{ x }}", "{% set block %}some {{ x }} text{% endset %}[{{ block }}]",
  "{% set b | upper %}shout {{ name }}{% endset %}{{ b }}", "{% set t = 1 %}{% set t.a = 1 %}",
  "{% with a = 5, b = 6 %}{{ a + b }}{% endwith %}{{ a is defined }}", "{% raw %}{{ x }}{% endraw %}",
  "{% raw -%}   {{ x }}   {%- endraw %}", "{# comment #}x", "a{# multi\nline #}b",
  "{% macro m(a, b=2) %}{{ a }}+{{ b }}{% endmacro %}{{ m(1) }} {{ m(1, 3) }} {{ m(b=5, a=0) }}",
  "{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m() }}", "{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m(1, 2) }}",
  "{% macro m() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, k=3) }}",
  "{% macro m() %}{{ x }}{% endmacro %}{% set x = 9 %}{{ m() }}",
  "{% macro outer() %}<{{ caller() }}>{% endmacro %}{% call outer() %}inner {{ x }}{% endcall %}",
  "{% macro list(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(v) list(xs) %}({{ v }}){% endcall %}",
  "{% filter upper %}shout {{ name }}{% endfilter %}", "{% filter replace('a', 'b') | upper %}aaa{% endfilter %}",
  "{% block b %}block {{ x }}{% endblock %}", "{% include 'other.html' %}", "{% extends 'base.html' %}",
  "{% if x %}unclosed", "{% for %}{% endfor %}", "{% endif %}", "{% nosuch %}", "{{ x", "{{ x }", "{{ 1 + }}",
  "{{ x | }}", "{{ ) }}", "{% if x %}{% endfor %}", "{% set %}", "{{ {'a': 1 }}", "{{ [1, 2 }}", "{{ 'unterminated }}",
  "{{ x.1a }}", "{{ .5 }}", "{{ 1. }}", "{% print x, y %}", "{% for i in xs %}{{ i }}{% break %}{% endfor %}")
# whitespace control
R("a\n{% if true %}\nyes\n{% endif %}\nb", "a\n  {% if true %}\n  yes\n  {% endif %}\nb",
  "a  {%- if true -%}  yes  {%- endif -%}  b", "a\n{%+ if true %}x{% endif %}", "{% if true +%}\nx{% endif %}",
  "  {{ x }}  \n  {{ y }}\n", "a {{- x -}} b", "a\n\n{{- x }}", "{% for i in xs %}\n  {{ i }}\n{% endfor %}",
  "<ul>\n{% for u in users %}\n  <li>{{ u.name }}</li>\n{% endfor %}\n</ul>\n", "line\n", "line\n\n", "\r\nwin\r\n",
  "x {# c #}\ny", "  {# c #}\ny", "{%- if true %} a{% endif -%}  \n b", "{% raw %}\n  {{ raw }}\n{% endraw %}\nafter",
  "text with } and { and %} and #} alone", "{{ '{{' }}", "{{ '}}' }}", "{{ '%}' }}", "{{ {'a': {'b': 1}} }}",
  "{{ xs\n  | join(',') }}", "{%\nif x\n%}y{%\nendif\n%}")
# output conversion
R("{{ x }} {{ y }} {{ 1.0 }} {{ 1e20 }} {{ 1e-5 }} {{ none }} {{ t }} {{ xs }} {{ d }} {{ (1,) }} {{ 'a' }}",
  "{{ ['a', \"b'c\"] }}", "{{ {'k': none, 1: 1.5} }}", "{{ d.keys() }}", "{{ xs | map('int') | list }}",
  "{{ range(3) | list }} {{ range(3) }}", "{{ uni }}", "{{ big }}", "{{ 2 ** 64 }}", "{{ 1/3 }}", "{{ 0.1 + 0.2 }}",
  "{{ -0.0 }}", "{{ 1e16 }}", "{{ 123456789012345678.0 }}", "{{ 3.0 * 2 }}", "{{ (0.1).is_integer() }}")

# batch 2: trickier corners
R("{% if true %}{% set z = 1 %}{% endif %}{{ z }}", "{% for i in xs %}{% set z = i %}{% endfor %}{{ z is defined }}",
  "{{ not x is none }}", "{{ x is not none and not f }}", "{{ -x ** 2 }}", "{{ (-x) ** 2 }}", "{{ 2 * 3 ~ 4 }}", "{{ 1 ~ 2 + 3 }}",
  "{{ 1e22 }} {{ 1e21 }} {{ 100000000000000000000.0 }} {{ 1.0e-7 }} {{ 12345678.9 }}", "{{ '✓' | length }} {{ uni[1] }} {{ uni | reverse }}",
  "{{ 'élan vital' | title }} {{ 'ÉCOLE' | lower }} {{ 'straße' | upper }}", "{{ [none, 1] | sort }}", "{{ [2, 1.5, true] | sort }}",
  "{{ d | dictsort(by='value', reverse=true) }}", "{{ '%s' | format(xs) }}", "{{ '%s and %s' | format(*xs[:2]) }}",
  "{% for k, v in d | dictsort %}{% for i in range(v) %}{{ k }}{% endfor %}{% endfor %}",
  "{% for a in xs %}{% for b in ys %}{{ loop.index }}{% endfor %}{{ loop.index }}|{% endfor %}",
  "{% macro m(x) -%}\n  [{{ x }}]\n{%- endmacro %}\n{{ m(1) }}{{ m(2) }}", "{% set t %}\n  a\n  b\n{% endset %}({{ t }})",
  "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1) | int }}{% endif %}{% endmacro %}{{ fact(5) }}",
  "{{ xs | join(', ') | upper | replace(',', ';') }}", "{{ users | map(attribute='name') | map('upper') | join }}",
  "{{ users | selectattr('admin', 'true') | list | length }}", "{{ users | selectattr('tags') | map(attribute='name') | list }}",
  "{{ users | sum(attribute='age') / users | length }}", "{{ (users | sum(attribute='age') / (users | length)) | round(1) }}",
  "{{ ml | replace('\n', ' ') }}", "{{ s | truncate(5, true, '') }}", "{{ s | truncate(3) }}", "{{ words | wordwrap(15, false) }}",
  "{{ 'a-b c-d' | wordwrap(3) }}", "{{ 'x' * 0 }}|{{ [1] * -1 }}", "{{ 3 // 0.5 }} {{ -3 % 0.7 }} {{ 5.5 // -2 }}",
  "{{ big // 7 }} {{ big % 7 }} {{ -big // 7 }} {{ big / 3 }}", "{{ (1, 2) + (3,) }} {{ (1,) * 2 }}", "{{ [1, 2, 3][-2:] }} {{ 'abcdef'[1:5:2] }}",
  "{{ d.get('a', 5) + d['b'] }}", "{{ {'a': 1, 'a': 2} }}", "{{ dict(x=1, **{'y': 2}) }}", "{{ range(*[1, 5, 2]) | list }}",
  "{% for i in range(3) %}{{ loop.revindex }}{{ loop.cycle(*'ab') }}{% endfor %}", "{{ lipsum(1, false, 1, 1) | length > 0 }}",
  "{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.next() }}{{ c.current }}",
  "{% set j = joiner('|') %}{% for i in xs %}{{ j() }}{{ i }}{% endfor %}",
  "{% set ns = namespace(items=[]) %}{% for i in xs %}{% set ns.items = ns.items + [i] %}{% endfor %}{{ ns.items }}",
  "{% with %}{% set q = 1 %}{{ q }}{% endwith %}{{ q is defined }}", "{% filter indent(2, true) %}a\nb{% endfilter %}",
  "{%- for i in xs -%}\n  {{ i }}\n{%- endfor -%}", "  {%- if true %}x{% endif %}", "{% if true -%}\n\n  x\n{%- endif %}",
  "{# {{ not rendered }} #}{{ 1 }}", "{%- raw -%}  a  {%- endraw -%}", "a{%- raw %} b {% endraw -%}c",
  "{{ 'a' if f else 'b' if t else 'c' }}", "{{ (xs | first) + (xs | last) }}", "{{ xs[0:2] | map('string') | join('+') }}",
  "{{ 'abc' | batch(2) | list }}", "{{ d.items() | list | first }}", "{{ 'key=val' .split('=') }}", "{{ s.split(maxsplit=1) }}",
  "{{ '%-10s|%10.3f|' % ('ab', 2.5) }}", "{{ '%s' % d }}", "{{ '%(x)s' % {'x': xs} }}", "{{ '{:>10}'.format(1.5) }} {{ '{:08.3f}'.format(-1.5) }}",
  "{{ '{}'.format(d) }} {{ '{!s:>5}'.format(none) }} {{ '{0:{1}}'.format(3, 4) }}")
for env in ("strict", "lenient"):
    R("{{ zz is defined and zz }}", "{{ zz or 'fallback' }}", "{{ zz if zz is defined else 'no' }}", "{{ d.zz | default('x') }}",
      "{{ (d.zz or {}).get('a', 1) }}", "{{ zz | default(none) is none }}", "{{ zz.y | default('deep') }}", env=env)

sys.stdout.write(json.dumps({"base_vars": VARS}, ensure_ascii=False) + "\n")
for c in T:
    sys.stdout.write(json.dumps(c, ensure_ascii=False) + "\n")
