// Package expr is the Python-like value model and the function registry
// shared by st2go's expression engines (internal/expr/jinja,
// internal/expr/yaql), the parameter renderer, the Orquesta conductor and
// the API encoder.
//
// # Values
//
// Expression values are plain Go values standing for Python's:
//
//	nil        None
//	bool       bool
//	int64      int (a *big.Int when it does not fit; results are
//	           normalised back to int64 whenever they fit)
//	float64    float
//	string     str
//	[]any      list
//	Tuple      tuple
//	*Dict      dict: insertion-ordered, any hashable key, Python key
//	           equality (1 == 1.0 == True)
//	*Set       set (insertion-ordered here; Python's order is by hash)
//	Object     anything else an engine needs (Jinja's Undefined,
//	           macros, YAQL datetimes): it renders, compares and
//	           tests truth through the optional interfaces below
//
// [FromJSON] and [FromGo] build values; [ToJSON], [Str] and [Repr] render
// them as Python's json.dumps, str and repr do. [Truthy], [Equal],
// [Compare], [CompareOp] and [Arith] follow Python 3's rules, TypeError
// included. Nothing here uses reflection on values at evaluation time,
// so an expression can reach only what the model exposes (sandboxing).
//
// # Functions
//
// A [Registry] holds [FuncSpec]s. StackStorm's functions
// (to_json_string, regex_match, st2kv, ...) and Orquesta's (ctx, item,
// result, task_status, ...) are registered once, by [RegisterBuiltins],
// and both engines expose them: Jinja as filters and globals, YAQL as
// functions. A function reaches the workflow context, the current task
// and item, and the datastore through an [Env]; the datastore is an
// interface, so this package depends on no store.
//
// # Limits
//
// [Limits] bound nesting depth, output size, evaluation steps and time; a
// [Budget] enforces them (and context cancellation) for one evaluation.
// Engines report failures as an [*Error] naming the expression and the
// position; the cause is usually a [*PyError] carrying the Python
// exception class StackStorm would have raised.
//
// Any package may import expr; expr imports only the standard library,
// internal/pyfmt, internal/pyyaml and a YAML library.
package expr
