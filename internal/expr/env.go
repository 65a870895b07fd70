package expr

import (
	"context"
	"errors"
)

// Env is what functions see of the world besides their arguments: the
// Orquesta workflow context and state, the current with-items item and
// task, and the datastore. Every field is optional; the zero Env is an
// empty context.
type Env struct {
	// Vars is the workflow context (input, vars, published variables;
	// "st2" holds StackStorm's runtime info) that ctx() returns. Keys
	// starting with "__" are hidden from ctx().
	Vars *Dict
	// Item is the current with-items item (item()); nil is None.
	Item any
	// Task is the current task (result(), succeeded(), ...); nil when the
	// expression is not evaluated for a task.
	Task *Task
	// Workflow answers task_status() and task(); nil: every task is
	// unset.
	Workflow Workflow
	// Datastore answers st2kv() and decrypt_kv; nil: no datastore.
	Datastore Datastore
	// User is the user whose scope st2kv's user keys live in; empty:
	// Vars' st2.user, as StackStorm reads it.
	User string
}

// Task is the current task of an Orquesta expression.
type Task struct {
	ID     string
	Route  int
	Result any
}

// Workflow is the part of an Orquesta workflow's state that expression
// functions read. Implementations resolve a route the way Orquesta does
// (falling back to an earlier route before a split).
type Workflow interface {
	// TaskStatus returns the status of the task on the route, "" when the
	// task has none yet (Orquesta's "null").
	TaskStatus(taskID string, route int) string
	// TaskRecord returns StackStorm's task execution record for task()
	// (task_execution_id, workflow_execution_id, task_name, task_id,
	// route, result, status, start_timestamp, end_timestamp), or an error
	// when there is none.
	TaskRecord(ctx context.Context, taskID string, route int) (*Dict, error)
}

// Datastore reads StackStorm's key-value store for st2kv().
// *datastore.Service implements it.
type Datastore interface {
	// Lookup returns the value of the key name in scope ("system" or
	// "user"; user names the owner of a user-scoped key), decrypted when
	// decrypt is set; found is false when there is no such key.
	Lookup(ctx context.Context, scope, name, user string, decrypt bool) (value string, found bool, err error)
}

// Decrypter is a Datastore that can also decrypt a value encrypted with
// the datastore key, for the decrypt_kv filter.
type Decrypter interface {
	Decrypt(ctx context.Context, ciphertext string) (string, error)
}

// ErrNoDatastore is returned by st2kv() and decrypt_kv when the Env has
// no datastore.
var ErrNoDatastore = errors.New("no datastore is available to expressions")

// Var returns the workflow variable name and whether it exists.
func (e *Env) Var(name string) (any, bool) {
	if e == nil {
		return nil, false
	}
	return e.Vars.Get(name)
}

// user is the st2kv user: Env.User, else ctx().st2.user.
func (e *Env) user() (string, error) {
	if e.User != "" {
		return e.User, nil
	}
	if st2, ok := e.Vars.Get("st2"); ok {
		if d, ok := st2.(*Dict); ok {
			if u, ok := d.Get("user"); ok {
				if s, ok := u.(string); ok {
					return s, nil
				}
			}
		}
	}
	return "", &PyError{Type: "KeyError", Msg: "'Could not get user from context.'"}
}
