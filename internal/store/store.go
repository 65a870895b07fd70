// Package store defines st2go's persistence: one repository interface per
// aggregate (content, executions, output), the sentinel errors every backend
// returns, and the Backend that bundles them.
//
// The store is the truth: every state change is written here before the bus
// announces it. Backends live in sub-packages (embedded, later mongo) and
// all pass the conformance suite in storetest. Domain and service packages
// import store; store imports only model.
package store

import (
	"context"
	"errors"

	"github.com/st2go/st2go/internal/model"
)

// Sentinel errors shared by every backend.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("already exists")
)

// Backend bundles the repositories of one storage backend.
type Backend interface {
	Content() ContentRepo
	Executions() ExecutionRepo
	Output() OutputRepo
	Tokens() TokenRepo
	APIKeys() APIKeyRepo
	KeyValues() KeyValueRepo
	TriggerTypes() TriggerTypeRepo
	Triggers() TriggerRepo
	TriggerInstances() TriggerInstanceRepo
	Rules() DocRepo
	// SensorTypes stores sensor documents (package sensor's SensorType).
	SensorTypes() DocRepo
	RuleEnforcements() RuleEnforcementRepo
	Close() error
}

// DocRepo stores documents of one kind (rules, sensor types) by ref.
type DocRepo interface {
	Put(ctx context.Context, r *model.StoredDoc) error
	Get(ctx context.Context, refOrID string) (*model.StoredDoc, error)
	List(ctx context.Context) ([]*model.StoredDoc, error)
	Delete(ctx context.Context, refOrID string) error
}

// RuleEnforcementRepo stores rule enforcements; List returns the newest first.
type RuleEnforcementRepo interface {
	Create(ctx context.Context, e *model.RuleEnforcement) error
	Get(ctx context.Context, id string) (*model.RuleEnforcement, error)
	List(ctx context.Context) ([]*model.RuleEnforcement, error)
}

// TriggerTypeRepo stores trigger types by ref.
type TriggerTypeRepo interface {
	Put(ctx context.Context, t *model.TriggerType) error
	Get(ctx context.Context, refOrID string) (*model.TriggerType, error)
	List(ctx context.Context) ([]*model.TriggerType, error)
	Delete(ctx context.Context, refOrID string) error
}

// TriggerRepo stores triggers by ref.
type TriggerRepo interface {
	Put(ctx context.Context, t *model.Trigger) error
	Get(ctx context.Context, refOrID string) (*model.Trigger, error)
	List(ctx context.Context) ([]*model.Trigger, error)
	Delete(ctx context.Context, refOrID string) error
}

// TriggerInstanceFilter selects trigger instances.
type TriggerInstanceFilter struct {
	Trigger string
	Status  string
	After   *model.Time
	Before  *model.Time
	Limit   int
	Offset  int
}

// TriggerInstanceRepo stores trigger instances, newest first in lists.
type TriggerInstanceRepo interface {
	Create(ctx context.Context, ti *model.TriggerInstance) error
	Get(ctx context.Context, id string) (*model.TriggerInstance, error)
	SetStatus(ctx context.Context, id, status string) error
	List(ctx context.Context, f TriggerInstanceFilter) ([]*model.TriggerInstance, int, error)
}

// TokenRepo stores auth tokens. Get of an expired token returns
// ErrNotFound: callers never see a token past its expiry.
type TokenRepo interface {
	Create(ctx context.Context, t *model.Token) error
	Get(ctx context.Context, token string) (*model.Token, error)
	Delete(ctx context.Context, token string) error
	// DeleteExpired removes tokens that expired before the given time and returns how many.
	DeleteExpired(ctx context.Context, before model.Time) (int, error)
}

// APIKeyRepo stores API keys by id; GetByHash finds one by its key hash.
type APIKeyRepo interface {
	Create(ctx context.Context, k *model.APIKey) error
	Get(ctx context.Context, id string) (*model.APIKey, error)
	GetByHash(ctx context.Context, hash string) (*model.APIKey, error)
	List(ctx context.Context) ([]*model.APIKey, error)
	Put(ctx context.Context, k *model.APIKey) error
	Delete(ctx context.Context, id string) error
}

// KeyValueRepo stores datastore items by scope and name. Expired items are
// never returned.
type KeyValueRepo interface {
	// Put inserts or replaces an item and returns the one it replaced (nil if none).
	Put(ctx context.Context, kv *model.KeyValuePair) (old *model.KeyValuePair, err error)
	Get(ctx context.Context, scope, name string) (*model.KeyValuePair, error)
	// List returns a scope's items whose names start with prefix ("" = all scopes), by name.
	List(ctx context.Context, scope, prefix string) ([]*model.KeyValuePair, error)
	// Delete removes an item and returns it.
	Delete(ctx context.Context, scope, name string) (*model.KeyValuePair, error)
	// DeleteExpired removes the items whose expiry is before the given
	// time and returns them (for the delete triggers their expiry owes).
	DeleteExpired(ctx context.Context, before model.Time) ([]*model.KeyValuePair, error)
}

// ContentRepo stores registered content: packs, runner types and actions.
type ContentRepo interface {
	PutPack(ctx context.Context, p *model.Pack) error
	GetPack(ctx context.Context, refOrID string) (*model.Pack, error)
	ListPacks(ctx context.Context) ([]*model.Pack, error)

	PutRunnerType(ctx context.Context, r *model.RunnerType) error
	GetRunnerType(ctx context.Context, nameOrID string) (*model.RunnerType, error)
	ListRunnerTypes(ctx context.Context) ([]*model.RunnerType, error)

	// PutAction inserts or replaces an action by ref.
	PutAction(ctx context.Context, a *model.Action) error
	// CreateAction inserts an action and fails with ErrConflict when the ref exists.
	CreateAction(ctx context.Context, a *model.Action) error
	GetAction(ctx context.Context, refOrID string) (*model.Action, error)
	ListActions(ctx context.Context, pack string) ([]*model.Action, error)
	DeleteAction(ctx context.Context, refOrID string) error
}

// ExecutionFilter selects executions for ExecutionRepo.List.
type ExecutionFilter struct {
	Action    string
	Status    []model.Status
	User      string
	Parent    string // "" = any, "null" = top level only, else a parent id
	IDs       []string
	After     *model.Time // start_timestamp > After
	Before    *model.Time // start_timestamp < Before
	Limit     int         // 0 = no limit
	Offset    int
	Ascending bool // default newest first
}

// ExecutionRepo stores executions.
type ExecutionRepo interface {
	Create(ctx context.Context, e *model.Execution) error
	Get(ctx context.Context, id string) (*model.Execution, error)
	// Update reads the execution, calls fn on it and writes the result in
	// one transaction. When fn returns an error nothing is written and the
	// error is returned as is. The written execution is returned.
	Update(ctx context.Context, id string, fn func(e *model.Execution) error) (*model.Execution, error)
	// List returns the executions matching f and the total count ignoring limit/offset.
	List(ctx context.Context, f ExecutionFilter) ([]*model.Execution, int, error)
}

// OutputChunk is one piece of streamed action output (StackStorm's
// ActionExecutionOutputDB).
type OutputChunk struct {
	// ID orders an execution's chunks; the store assigns it on Append.
	ID          int64      `json:"id,string"`
	ExecutionID string     `json:"execution_id"`
	ActionRef   string     `json:"action_ref"`
	RunnerRef   string     `json:"runner_ref"`
	Timestamp   model.Time `json:"timestamp"`
	OutputType  string     `json:"output_type"`
	Data        string     `json:"data"`
}

// OutputRepo stores streamed output chunks.
type OutputRepo interface {
	Append(ctx context.Context, chunks ...*OutputChunk) error
	// List returns an execution's chunks in order; outputType "" or "all" means every type.
	List(ctx context.Context, executionID, outputType string) ([]*OutputChunk, error)
}
