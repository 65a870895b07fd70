package model

import "encoding/json"

// LogEntry is one status change in an execution's log.
type LogEntry struct {
	Status    Status `json:"status"`
	Timestamp Time   `json:"timestamp"`
}

// LiveActionRef is the liveaction part of an execution document. st2go keeps
// one record per execution; the liveaction id is the execution id.
type LiveActionRef struct {
	ID         string         `json:"id"`
	Action     string         `json:"action"`
	Parameters map[string]any `json:"parameters"`
	Context    map[string]any `json:"context,omitempty"`
	Status     Status         `json:"status"`
}

// Execution is an action execution in the shape of StackStorm's
// ActionExecutionAPI. It is the unit the store persists and the bus announces.
type Execution struct {
	ID             string          `json:"id"`
	Action         *Action         `json:"action"`
	Runner         *RunnerType     `json:"runner"`
	LiveAction     *LiveActionRef  `json:"liveaction"`
	Parameters     map[string]any  `json:"parameters,omitempty"`
	Context        map[string]any  `json:"context"`
	Status         Status          `json:"status"`
	StartTimestamp Time            `json:"start_timestamp"`
	EndTimestamp   Time            `json:"end_timestamp,omitzero"`
	ElapsedSeconds *float64        `json:"elapsed_seconds,omitempty"`
	Result         json.RawMessage `json:"result,omitempty"`
	ResultSize     int             `json:"result_size,omitempty"`
	Log            []LogEntry      `json:"log"`
	Parent         string          `json:"parent,omitempty"`
	Children       []string        `json:"children,omitempty"`
	WebURL         string          `json:"web_url,omitempty"`
	Delay          int             `json:"delay,omitempty"`
	// RunnerInfo says which process ran the execution (hostname, pid), so a
	// restarted server can tell its own abandoned work.
	RunnerInfo map[string]any `json:"runner_info,omitempty"`
}

// User returns context.user, or "".
func (e *Execution) User() string {
	if u, ok := e.Context["user"].(string); ok {
		return u
	}
	return ""
}

// SetStatus moves the execution to a new status through the transition
// table, appending to the log and stamping end_timestamp on completion.
func (e *Execution) SetStatus(to Status, at Time) error {
	if e.Status == to {
		return nil
	}
	if err := CheckTransition(e.Status, to); err != nil {
		return err
	}
	e.Status = to
	if e.LiveAction != nil {
		e.LiveAction.Status = to
	}
	e.Log = append(e.Log, LogEntry{Status: to, Timestamp: at})
	if to.Completed() {
		e.EndTimestamp = at
		el := at.Sub(e.StartTimestamp.Time).Seconds()
		e.ElapsedSeconds = &el
	}
	return nil
}
