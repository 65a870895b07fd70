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
// Templates are rendered by a deliberately small renderer (render.go) that
// understands literal text and {{ name.attr['key'] }} lookups only; every
// other Jinja construct is a clear error, never silently wrong output, until
// the full Jinja engine exists. Values print as Python would print them
// (True, None, ['a', 1], {'a': 1}) through internal/pyfmt.
//
// Error texts that users saw from StackStorm ("'x' is a required property",
// "Override of immutable parameter(s) ['cmd'] is unsupported.") are kept
// verbatim, capitals and all, so scripts that match them keep working; every
// such error is a *Error so the API can map it to 400.
//
// The package imports only model and pyfmt; any package may import it.
package param
