// Package yaql is a YAQL 1.1 engine (the language of OpenStack's yaql
// library, version 3.x) as StackStorm's Orquesta workflows use it: a
// lexer, a precedence parser and a lazy evaluator with yaql's standard
// library, plus the Orquesta and StackStorm functions of an
// expr.Registry.
//
// Semantics follow Python yaql exactly where workflows can see them:
// operator precedence, function and method resolution by argument types
// (with yaql's error classes: "Unknown function", "No method ... matches
// supplied arguments"), lazy sequences that can be consumed once, input
// lists seen as tuples, integer division, null ordering, and the output
// conversion that turns results into lists and dicts.
//
// [Parse] and [Expr.Eval] evaluate one expression; [Engine.Evaluate]
// evaluates a string mixing literal text and <% %> expressions as
// Orquesta's YAQL evaluator does, with Orquesta's error messages.
// Evaluations honour the context and expr.Limits.
//
// Any package may import yaql; it imports only expr and the standard
// library.
package yaql
