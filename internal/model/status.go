package model

import (
	"errors"
	"fmt"
)

// Status is the status of an execution, with StackStorm's names.
type Status string

// The execution statuses StackStorm knows (st2common/constants/action.py).
const (
	StatusRequested Status = "requested"
	StatusScheduled Status = "scheduled"
	StatusDelayed   Status = "delayed"
	StatusRunning   Status = "running"
	StatusSucceeded Status = "succeeded"
	StatusFailed    Status = "failed"
	StatusTimeout   Status = "timeout"
	StatusAbandoned Status = "abandoned"
	StatusCanceling Status = "canceling"
	StatusCanceled  Status = "canceled"
	StatusPending   Status = "pending"
	StatusPausing   Status = "pausing"
	StatusPaused    Status = "paused"
	StatusResuming  Status = "resuming"
)

// ErrInvalidTransition is returned when a status change is not in the table.
var ErrInvalidTransition = errors.New("invalid status transition")

// transitions lists, for each status, the statuses it may move to.
//
//	requested ─► scheduled ─► running ─► succeeded | failed | timeout | abandoned
//	    │            │           │
//	    ├─► delayed ─┘           └─► canceling ─► canceled
//	    └─► canceled (not started yet: no runner to ask)
var transitions = map[Status][]Status{
	StatusRequested: {StatusScheduled, StatusDelayed, StatusCanceled, StatusCanceling, StatusFailed, StatusAbandoned},
	StatusDelayed:   {StatusScheduled, StatusRequested, StatusCanceled, StatusCanceling, StatusFailed, StatusAbandoned},
	StatusScheduled: {StatusRunning, StatusCanceled, StatusCanceling, StatusFailed, StatusAbandoned, StatusSucceeded, StatusTimeout},
	StatusRunning: {StatusSucceeded, StatusFailed, StatusTimeout, StatusAbandoned, StatusCanceling, StatusCanceled,
		StatusPending, StatusPausing, StatusPaused},
	StatusCanceling: {StatusCanceled, StatusSucceeded, StatusFailed, StatusTimeout, StatusAbandoned},
	StatusPending:   {StatusRunning, StatusSucceeded, StatusFailed, StatusTimeout, StatusCanceling, StatusCanceled, StatusAbandoned, StatusPausing, StatusPaused},
	StatusPausing:   {StatusPaused, StatusCanceling, StatusCanceled, StatusSucceeded, StatusFailed, StatusTimeout, StatusAbandoned},
	StatusPaused:    {StatusResuming, StatusCanceling, StatusCanceled, StatusAbandoned},
	StatusResuming:  {StatusRunning, StatusCanceling, StatusCanceled, StatusSucceeded, StatusFailed, StatusTimeout, StatusAbandoned},
}

// CanTransition reports whether an execution may move from one status to another.
func CanTransition(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// CheckTransition returns a wrapped ErrInvalidTransition when from → to is not allowed.
func CheckTransition(from, to Status) error {
	if CanTransition(from, to) {
		return nil
	}
	return fmt.Errorf("%w: %s → %s", ErrInvalidTransition, from, to)
}

// Completed reports whether the status is terminal.
func (s Status) Completed() bool {
	switch s {
	case StatusSucceeded, StatusFailed, StatusTimeout, StatusCanceled, StatusAbandoned:
		return true
	}
	return false
}

// Cancelable reports whether an execution in this status may still be canceled.
func (s Status) Cancelable() bool {
	switch s {
	case StatusRequested, StatusScheduled, StatusDelayed, StatusRunning, StatusPending,
		StatusPausing, StatusPaused, StatusResuming:
		return true
	}
	return false
}

// Valid reports whether s is one of StackStorm's statuses.
func (s Status) Valid() bool {
	_, ok := transitions[s]
	return ok || s.Completed()
}
