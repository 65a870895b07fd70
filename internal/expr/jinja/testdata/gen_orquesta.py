#!/usr/bin/python3
"""Writes inputs for Orquesta's expression oracle: Jinja through
Orquesta's evaluator facade. Reference results:
  python3 gen_orquesta.py > /tmp/in.jsonl
  ORQUESTA_SRC=... /usr/bin/python3 expr_oracle.py --cases /tmp/in.jsonl --out orquesta.jsonl
(expr_oracle.py: the shared orquesta-oracle tools)."""
import json
CTX = {"x": 1, "y": 2.5, "name": "Stanley", "s": "Hello World", "xs": [1, 2, 3], "ys": ["b", "a", "c"], "d": {"a": 1, "b": 2},
       "users": [{"name": "alice", "age": 31, "admin": True}, {"name": "bob", "age": 25, "admin": False}],
       "none": None, "t": True, "empty": [], "tmpl": "{{ ctx('x') + 1 }}", "tmpl2": "v={{ ctx('x') }}", "blk": "{% if true %}B{% endif %}",
       "nested_tmpl": "{{ ctx('tmpl') }}", "st2": {"user": "stanley", "action_execution_id": "abc"}, "str_num": "5", "__hidden": 1,
       "html": "<b>&</b>", "multi": "a\nb"}
cases = []
def c(e, **kw):
    d = {"expr": e, "ctx": CTX, "lang": "jinja"}
    d.update(kw)
    cases.append(d)
for e in ["{{ ctx('x') }} and {{ ctx('y') }}", "{{ ctx('xs') }}", "[{{ ctx('xs') }}]", "{{ ctx('d') }}", "{{ ctx('none') }}", "x{{ ctx('none') }}",
          "{{ ctx('t') }}", "{{ ctx('t') }}!", "{{ ctx('y') * 2 }}", "{{ ctx('tmpl') }}", "{{ ctx('tmpl2') }}", "{{ ctx('nested_tmpl') }}", "{{ ctx('blk') }}",
          "pre {{ ctx('tmpl') }} post", "{{ ctx('x') }}{{ ctx('x') }}", "{{ ctx('x') }} {{ ctx('x') }}", "{{ ctx().keys() | list }}", "{{ ctx().__hidden }}",
          "{{ ctx('__hidden') }}", "{{ ctx('missing') }}", "{{ ctx().missing }} {{ ctx('x') }}", "a {{ ctx().missing }} b", "{{ ctx('x') + 'a' }}",
          "{{ ctx('xs') | map('string') }}", "{{ ctx('xs') | select('odd') }}", "{{ ctx('d').items() }}", "{{ ctx('d').keys() }}",
          "{{ zip(ctx('xs'), ctx('ys'), pad=0) }}", "{{ zip(ctx('xs')) }}", "{{ zip([1,2], [3], pad='p') }}", "{{ json('{\"a\": [1]}') }}", "{{ json(ctx('d')) }}",
          "{{ json(1) }}", "{{ ctx('d') | json }}", "{% for x in ctx('xs') %}{{ x }}{% endfor %}", "{% if ctx('t') %}yes{% endif %} {{ ctx('x') }}",
          "{% set v = ctx('x') + 1 %}{{ v }}", "{% set v = ctx('tmpl') %}{{ v }}", "{% raw %}{{ ctx('x') }}{% endraw %}", "{% raw %}{{ x }}{% endraw %} {{ ctx('x') }}",
          "{% raw %}{% if %}{% endraw %}", "{{ '{{ 1 }}' }}", "{{ '{{ ctx(\"x\") }}' }}", "{{ ctx('html') | e }}", "{{ ctx('html') | tojson }}",
          "{{ ctx('multi') }}", "{{ ctx('x') }}\n{{ ctx('y') }}", "{{ ctx('xs') | length > 2 }}", "{{ ctx('users') | map(attribute='name') | join(',') }}",
          "{{ range(3) }}", "{{ range(3) | list }}", "{{ lipsum is defined }}", "{{ ctx('str_num') | int + 1 }}", "{{ dict(a=1) }}",
          "{{ namespace(a=1).a }}", "{{ {'a': ctx('x')} }}", "{{ (ctx('x'), 2) }}", "{{ ctx('x') if ctx('t') }}", "{{ ctx('x') if not ctx('t') }}",
          "{{ ctx('empty') | first }} {{ ctx('x') }}", "{{ 1 / 0 }} text", "{% if %}", "{{ 1 + }}", "{{ ctx('x') | nosuchfilter }}", "{{ ctx('x') is nosuchtest }}",
          "{{ task_status('t9') }}", "{{ item() }}", "{{ item('k') }}", "{{ result() }}", "{{ succeeded() }}", "{{ __current_task }}", "{{ __vars.x }}",
          "{{ __current_item }}", "{{ __state }}", "}}{{ ctx('x') }}{{", "{{ ctx('x') }}}", "{{{ ctx('x') }}}", "{{ {'a': {'b': ctx('x')}} }}",
          "{{ ctx('s').split(' ') }}", "{{ ctx('s') | upper }}{% if true %}!{% endif %}", "{% for u in ctx('users') %}{{ u.name }}{% if not loop.last %},{% endif %}{% endfor %}",
          "{{ ctx('xs')[1:] | sum }}", "{{ ctx('y') | round }}", "{{ ctx('y') | int }}", "{{ 'a' ~ ctx('x') }}", "{{ ctx('users')[0] }}", "{{ ctx('users') | selectattr('admin') }}",
          "{{ ctx('users') | groupby('admin') }}", "{{ ctx('d') | dictsort }}", "{{ ctx('d') | items }}", "{{ ctx('xs') | batch(2) }}", "{{ ctx('ys') | sort }}", "{{ ctx('ys') | unique }}"]:
    c(e)
c("{{ item() }} {{ item('host') }}", item={"host": "h"})
c("{{ item() }}", item=[1, 2])
c("{{ item('x') }}", item=[1])
c("{{ result().code }} {{ succeeded() }} {{ failed() }} {{ completed() }}", task={"id": "t1", "route": 0, "status": "failed", "result": {"code": 1}})
c("{{ task_status('t1') }} {{ task_status('t2') }}", task={"id": "t1", "route": 0, "status": "running"}, tasks={"t2": "succeeded"})
c("{{ result() }}", task={"id": "t1", "route": 0, "status": "succeeded"})
c({"a": "{{ ctx('x') }}", "{{ ctx('name') }}": ["{{ ctx('xs') }}", "plain", 3]})
c(["{{ ctx('d') }}", {"k": "v {{ ctx('x') }}"}])
c({"{{ ctx('xs') }}": 1})
c("<% ctx(x) %>{{ ctx('x') }}", lang="yaql+jinja")
for e in ["{{ ctx('x') }}", "{{ 1 + }}", "a {{ 1 + }} b {{ ) }}", "{% if %}{{ 1 + }}", "{{ x | nosuchfilter }}", "{% for %}", "{{ ctx(\"a\") }} {% raw %}{{ 1 + }}{% endraw %}"]:
    c(e, op="validate")
for e in ["{{ ctx('a') }}", "{{ ctx().a.b }} {{ ctx(\"c\") }} {{ ctx(d) }}", "{{ ctx().keys() }}", "{{ ctx('a') + ctx('b') }}", "{% for x in ctx('l') %}{{ ctx().m }}{% endfor %}",
          "{{ ctx()['k'] }}", "{{ ctx().a-b }}"]:
    c(e, op="extract_vars")
for x in cases:
    print(json.dumps(x))
