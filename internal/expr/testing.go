package expr

import (
	"context"
	"fmt"
)

// StaticWorkflow is a [Workflow] with fixed task statuses (on every
// route) and no task records, for tests and the expression tool.
type StaticWorkflow map[string]string

// TaskStatus returns the task's status.
func (w StaticWorkflow) TaskStatus(taskID string, route int) string { return w[taskID] }

// TaskRecord reports that there is no record.
func (w StaticWorkflow) TaskRecord(ctx context.Context, taskID string, route int) (*Dict, error) {
	return nil, fmt.Errorf("Unable to find task execution for %q.", taskID)
}

// MapDatastore is an in-memory [Datastore]: scope ("system", "user") →
// stored name (user-scope names are "<user>:<key>") → value. It ignores
// decrypt and decrypts nothing. For tests and the expression tool.
type MapDatastore map[string]map[string]string

// Lookup finds a value.
func (m MapDatastore) Lookup(ctx context.Context, scope, name, user string, decrypt bool) (string, bool, error) {
	if scope == "user" {
		name = user + ":" + name
	}
	v, ok := m[scope][name]
	return v, ok, nil
}
