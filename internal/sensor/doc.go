// Package sensor runs StackStorm sensors from packs: it reads sensor
// metadata files (Load, LoadInPack) into SensorType values and the trigger
// types they declare, and a Container keeps one child process per enabled
// sensor, as StackStorm's process container does.
//
// Each child is `python3 st2go_sensor_wrapper.py` from the compatibility
// package in contrib/python (written to Options.Dir at start), with that
// package and the pack directory on PYTHONPATH, so sensors written for
// StackStorm import st2reactor.sensor.base and friends unchanged. A child
// writes the triggers its sensor dispatches as JSON lines to file
// descriptor 3; the container decodes them and calls Options.Dispatch.
// Trigger changes for the sensor's trigger types go to the child's stdin.
// The child's stdout and stderr go to the container's logger.
//
// Lifecycle of one sensor (StackStorm's rules: only a non-zero exit is
// respawned, after RespawnDelay × attempt, at most MaxRespawns times in a
// row; a run of HealthyAfter or longer resets the count):
//
//	spawn ──► running ──exit 0──────────────────► done
//	  ▲          │
//	  │          ├──exit ≠ 0, attempts left──► wait delay ──┐
//	  │          │                                          │
//	  └──────────┼──────────────────────────────────────────┘
//	             ├──exit ≠ 0, no attempts left─► done (given up)
//	             └──removed by Set / ctx done──► SIGTERM, grace, SIGKILL ─► done
//
// Options.Event hears every spawn and exit (the app turns them into
// core.st2.sensor.process_spawn / process_exit). The composition root
// (internal/app) imports this package; it imports model and contrib/python.
package sensor
