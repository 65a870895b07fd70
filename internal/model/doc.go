// Package model holds st2go's domain types (packs, runner types, actions,
// executions) in the JSON shapes of StackStorm's API v1, and the execution
// status transition table.
//
// Every status change in the system goes through [CanTransition]; a change
// the table does not allow is [ErrInvalidTransition]. The package imports no
// other st2go package, so anything may import it.
package model
