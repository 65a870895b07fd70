// Package python holds, as data, the Python compatibility package st2go
// ships so that StackStorm's Python content (sensors, and later Python
// actions) runs unchanged: modules importable under StackStorm's own paths
// (st2reactor.sensor.base, st2common.runners.base_action, ...) whose
// services talk to st2go's REST API using only the Python standard
// library, plus the wrapper script st2go_sensor_wrapper.py that runs one
// sensor in a child process.
//
// Nothing runs these files in place: a caller copies FS into a directory
// and puts that directory on PYTHONPATH (see sensor.WritePythonPackage).
// Any package may import this one.
package python

import "embed"

// FS holds the directory st2go_compat/, the root of the Python import path.
//
//go:embed all:st2go_compat
var FS embed.FS
