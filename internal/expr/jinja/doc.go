// Package jinja is a Jinja2 engine that evaluates templates as
// StackStorm's Jinja environments do: the sandboxed environment with
// StrictUndefined, trim_blocks and lstrip_blocks that st2 uses for action
// parameters, rules, notifications, aliases and pack configs ([ST2]),
// and Orquesta's, which adds the workflow functions as globals
// ([Orquesta], [OrquestaEvaluator]).
//
// Templates are lexed (with Jinja's whitespace control), parsed by
// recursive descent into a tree and evaluated over the Python-like value
// model of internal/expr. Supported: expressions and operators, literals,
// attribute and item lookup with Jinja's fallbacks, filters and tests
// (Jinja's built-ins plus StackStorm's functions from expr's registry),
// if/for (loop.*, else, filtering, recursive)/set (block set,
// namespaces)/with/macro/call/filter/block/raw statements, comments, the
// Python str, list and dict methods templates call, and str % and
// str.format formatting. extends/include/import need a template loader,
// which StackStorm's environments do not have: they fail when rendered.
//
// Sandboxing: templates reach only the value model. Attributes are the
// methods of str, list, tuple and dict and the attributes of the
// engine's own objects; dunder names are refused as Jinja's sandbox
// refuses them; range() is bounded; every evaluation runs under an
// expr.Budget (steps, nesting, output size, time, context).
//
// [Template.Eval] keeps the type of a template that is exactly one
// "{{ expression }}"; [Template.Render] always renders text. Errors are
// *expr.Error values naming the template and the position.
//
// Any package may import jinja.
package jinja
