// Package param resolves action parameters the way StackStorm does
// (st2common/util/param.py, services/action.py, util/schema): it merges a
// runner's parameter schema with an action's, renders templated values and
// defaults in dependency order, casts values to their declared types,
// validates them and splits the result into runner and action parameters.
//
// StackStorm resolves parameters in two phases, and so does this package:
//
//	request time:  RenderLive (render supplied values, add rendered template
//	               defaults) ─► Validate (schema, required, immutables)
//	runner time:   RenderFinal (fill every default, cast, split runner/action)
//
// Resolve runs the three in a row.
//
// Templates are rendered by StackStorm's own Jinja environment
// (internal/expr/jinja's ST2: sandboxed, StrictUndefined, trim_blocks and
// lstrip_blocks, StackStorm's filters). What a template reads (Jinja's
// find_undeclared_variables) orders the rendering and finds cycles and
// missing variables. Besides the other parameters, templates see
// action_context, config_context, st2kv.system and st2kv.user (datastore
// lookups through Context.Datastore) and Context.Extra (the rules engine's
// trigger). A string template renders to text, which is then cast to the
// parameter's type ("30" → 30, "['a']" → ['a']); inside a list or map, a
// value that is exactly "{{name}}" keeps the variable's type, as
// StackStorm's to_complex does. raw_string parameters are never rendered.
//
// Text with a Jinja marker that ends inside the tag it opens ("echo {{ x")
// is not a template and is used as it is; any other template that does
// not parse or render is an *Error naming the parameter and Jinja's
// message ("Failed to render parameter \"cmd\": unexpected '.'"), which
// the API answers with 400. (StackStorm 3.7 and later keep every text
// Jinja cannot parse as it is; st2go reports the complete tags that do
// not parse, such as Go-template text, and offers raw_string for them.)
//
// Error texts that users saw from StackStorm ("'x' is a required property",
// "Override of immutable parameter(s) ['cmd'] is unsupported.") are kept
// verbatim, capitals and all, so scripts that match them keep working; every
// such error is a *Error so the API can map it to 400.
//
// The package imports model, pyfmt, expr and expr/jinja; any package may
// import it.
package param
