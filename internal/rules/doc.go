// Package rules is the pure core of st2go's rules engine: StackStorm's
// criteria operators, criteria evaluation against trigger payloads, the
// rule model with its YAML/JSON loader and validation, and an index that
// matches a trigger instance against the rules of its trigger.
//
// # Behaviour
//
// Evaluation follows StackStorm's st2reactor RuleFilter and RulesMatcher
// and st2common's operators.py, including their rough edges, so existing
// rules match exactly what they matched before:
//
//   - a criteria key is a jsonpath-rw path into {"trigger": payload}; what
//     follows the first "#" is ignored, so "trigger.x#1" and
//     "trigger.x#2" test the same value; the first value the path selects
//     is the operand, None when it selects nothing;
//   - criteria are tried in order and the first that fails stops the
//     match; non-empty criteria never match an empty payload;
//   - string patterns are Jinja templates rendered with the payload as
//     "trigger"; "{{ expr }}" patterns keep the type of the value;
//   - operators apply Python's semantics (equality across int and float,
//     "in" on strings, lists and dicts, TypeError for str < int); a Python
//     exception becomes a CriterionError: the criterion fails, and the
//     caller records a failed rule enforcement as StackStorm does;
//   - backstop rules are evaluated only when no standard rule matched.
//
// Deliberate differences, each fixing a StackStorm bug: exists/nexists
// need no pattern (StackStorm/st2#6197); a pattern whose to_complex
// rendering fails falls back to plain rendering (st2#5260); an unknown
// operator inside a search fails that rule instead of the whole trigger
// instance; loading checks a search's nested criteria and condition, and
// warns about repeated criteria keys (st2#2656) and paths outside
// "trigger". Regexes run on Go's RE2 (no lookarounds or backreferences;
// see expr.CompilePyRegex), with Python's "$" kept.
//
// # Use
//
// The rules engine service loads rules (ParseRule, ParseRuleJSON,
// LoadPackRule), keeps the enabled ones in an Index, and for each trigger
// instance calls Index.Match with an Evaluator whose Renderer is the
// Jinja engine; it enforces Matched(evaluations) and writes a failed
// enforcement for each CriterionError (FailureReason gives StackStorm's
// text).
//
// Of st2go's packages it imports only expr, model and yamlfile (which
// parses rule files, with PyYAML's merge keys and file:line syntax
// errors; plain scalars get YAML 1.1's types here, in tree.go); it does
// no I/O beyond reading rule files, touches neither the store nor the
// bus, and anything may import it.
package rules
