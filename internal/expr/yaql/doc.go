// Package yaql is a YAQL engine (the language of OpenStack's yaql library,
// version 3.x) as StackStorm's Orquesta workflows use it: a lexer, a
// precedence parser and a lazy evaluator with yaql's standard library,
// plus the Orquesta and StackStorm functions of an expr.Registry.
//
// # Semantics
//
// Python yaql is followed wherever a workflow can see the difference:
// the operator table (precedence and associativity), function and method
// resolution by the types of the arguments with yaql's error classes and
// wording ("Unknown function", "No method ... for receiver ... matches
// supplied arguments"), layered fallbacks (obj.name becomes
// #property#name), lazy sequences that are consumed once, input lists
// seen as tuples (so str(ctx(xs)) is "(1, 2)"), integer division, null
// ordering, frozen sets and dicts, and the output conversion that turns
// results into lists, dicts and sets. Orquesta's engine options are used:
// no delegates, keyword arguments with "=>", $ unbound.
//
// # Entry points
//
// [Parse] and [Expr.Eval] evaluate one expression (the text between <%
// and %>). [Engine.Evaluate] evaluates a string mixing literal text and
// <% %> expressions as Orquesta's YAQL evaluator does: one expression
// alone keeps its type, otherwise every expression is replaced by
// Python's str() of its value, and a result that is itself a string with
// expressions is evaluated again; errors carry Orquesta's
// YaqlEvaluationException message ([EvaluationError]). [Engine.Validate]
// and [ExtractVars] are Orquesta's validate() and extract_vars(). An
// [Engine] implements expr.Evaluator.
//
// Every evaluation runs under expr.Limits (nesting depth, output size,
// steps, time) and honours its context. Errors are *expr.Error values
// naming the expression and the position.
//
// # Differences from Python yaql
//
//   - Regular expressions run on Go's RE2 (expr.CompilePyRegex):
//     lookarounds and backreferences are an error.
//   - Sets keep insertion order; Python's order follows hashes (so
//     characters() and set results may list elements in another order).
//   - str() of a lazy sequence prints "<map object>" without an address.
//   - datetime(string) without a format accepts ISO 8601 and a few common
//     layouts rather than dateutil's free-form parser.
//   - toUpper()/toLower() use Unicode simple case mapping ("ß" stays).
//   - Every dict is hashable, as yaql's frozen input dicts are; Python
//     raises "unhashable type: 'dict'" for dicts built by toDict() or
//     json() used as set elements or distinct() keys.
//   - "\N{name}" escapes in string literals are not supported.
//   - A result that is an expression is re-evaluated at most 64 levels
//     deep (Python stops at its recursion limit).
//   - The system functions def() and call() are not provided.
//   - Limits stop runaway expressions that Python would run until memory
//     or time ran out.
//
// Any package may import yaql; it imports only expr and the standard
// library.
package yaql
