// Package execution is the one place where executions are created and move
// between statuses. It writes every change to the store first (through the
// status transition table) and only then announces it on the bus:
//
//	st2.execution        create|update   the execution document (stream, notifier)
//	st2.liveaction       create|update   the liveaction view (stream)
//	st2.liveaction.status  <status>      the execution id (scheduler, runners)
//
// The API, scheduler and action runner services all go through Service;
// none of them writes executions directly. It imports model, store, bus,
// runner and param.
package execution

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/expr"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
	"github.com/st2go/st2go/internal/store"
)

// Options configure a Service.
type Options struct {
	Store   store.Backend
	Bus     bus.Backend
	Runners *runner.Registry
	// SystemUser is [system_user] user: the user of executions requested
	// without an authenticated user.
	SystemUser string
	// WebUIBaseURL is [webui] webui_base_url, used for web_url.
	WebUIBaseURL string
	// Datastore serves st2kv lookups in parameter templates; nil means none.
	Datastore expr.Datastore
	// PackConfig returns a pack's config (config_context in parameter
	// templates); nil means none.
	PackConfig func(ctx context.Context, pack string) (map[string]any, error)
	// MaskSecrets is [api] mask_secrets: announcements carry secret
	// parameter values as ********.
	MaskSecrets bool
	Logger      *slog.Logger
}

// Service creates executions and changes their status.
type Service struct {
	opts Options
	log  *slog.Logger
}

// New returns a Service.
func New(opts Options) *Service {
	l := opts.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return &Service{opts: opts, log: l}
}

// InvalidError is a request the caller got wrong (HTTP 400).
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

func invalid(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...)}
}

// Request is what a caller asks to run.
type Request struct {
	Action     string
	Parameters map[string]any
	Context    map[string]any
	User       string
	Delay      int // milliseconds
	Parent     string
	// Extra holds additional template contexts for the parameters (the
	// rules engine passes "trigger": the trigger instance payload).
	Extra map[string]any
}

// Create validates a request, writes the execution in status requested and
// announces it. Errors a caller made are *InvalidError.
func (s *Service) Create(ctx context.Context, req Request) (*model.Execution, error) {
	if req.Action == "" {
		return nil, invalid("'action' is a required property")
	}
	action, err := s.opts.Store.Content().GetAction(ctx, req.Action)
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalid("Action \"%s\" cannot be found.", req.Action)
	}
	if err != nil {
		return nil, err
	}
	if !action.Enabled {
		return nil, invalid("Action \"%s\" cannot be executed because it is disabled.", action.Ref)
	}
	rt, err := s.opts.Store.Content().GetRunnerType(ctx, action.RunnerType)
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalid("Runner type \"%s\" for action \"%s\" cannot be found.", action.RunnerType, action.Ref)
	}
	if err != nil {
		return nil, err
	}
	if req.Delay < 0 {
		return nil, invalid("delay must be a positive number of milliseconds")
	}
	user := req.User
	if user == "" {
		user = s.opts.SystemUser
	}
	execCtx := map[string]any{}
	for k, v := range req.Context {
		execCtx[k] = v
	}
	execCtx["user"] = user
	if _, ok := execCtx["pack"]; !ok {
		execCtx["pack"] = action.Pack
	}
	params := req.Parameters
	if params == nil {
		params = map[string]any{}
	}
	// Validate and render now, so a bad request is refused with 400 and
	// never becomes a half-made execution.
	pc, err := s.ParamContext(ctx, action, execCtx, req.Extra)
	if err != nil {
		return nil, err
	}
	params, err = RenderLive(action, rt, params, pc)
	if err != nil {
		return nil, err
	}
	now := model.Now()
	id := model.NewID()
	e := &model.Execution{
		ID: id, Action: action, Runner: rt,
		LiveAction: &model.LiveActionRef{ID: id, Action: action.Ref, Parameters: params, Context: execCtx, Status: model.StatusRequested},
		Parameters: params, Context: execCtx, Status: model.StatusRequested, StartTimestamp: now,
		Log:      []model.LogEntry{{Status: model.StatusRequested, Timestamp: now}},
		Children: []string{}, Parent: req.Parent, Delay: req.Delay,
		WebURL: strings.TrimRight(s.opts.WebUIBaseURL, "/") + "/#/history/" + id + "/general",
	}
	if err := s.opts.Store.Executions().Create(ctx, e); err != nil {
		return nil, fmt.Errorf("creating execution of %s: %w", action.Ref, err)
	}
	s.announce(ctx, e, "create")
	return e, nil
}

// Transition moves an execution to status `to`, applying mutate (may be
// nil) in the same write, then announces it. It returns
// model.ErrInvalidTransition (wrapped) when the table forbids the move.
func (s *Service) Transition(ctx context.Context, id string, to model.Status, mutate func(e *model.Execution)) (*model.Execution, error) {
	e, err := s.opts.Store.Executions().Update(ctx, id, func(e *model.Execution) error {
		if err := e.SetStatus(to, model.Now()); err != nil {
			return err
		}
		if mutate != nil {
			mutate(e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.announce(ctx, e, "update")
	return e, nil
}

// announce publishes an execution change. A failed publish is logged, not
// returned: the store already holds the change and recovery re-announces
// work that was never picked up.
func (s *Service) announce(ctx context.Context, e *model.Execution, verb string) {
	// The bus carries what clients may see: secrets masked. Consumers that
	// need the real values read the store.
	doc, err := s.clientJSON(e)
	if err != nil {
		s.log.Error("encoding execution for the bus", "execution", e.ID, "err", err)
		return
	}
	for _, p := range []struct {
		ex, key string
		body    []byte
	}{
		{bus.ExchangeExecution, verb, doc},
		{bus.ExchangeLiveAction, verb, liveActionDoc(s.forClients(e))},
		{bus.ExchangeLiveActionStatus, string(e.Status), []byte(e.ID)},
	} {
		if err := s.opts.Bus.Publish(ctx, p.ex, p.key, p.body); err != nil {
			s.log.Error("publishing execution change", "execution", e.ID, "exchange", p.ex, "err", err)
		}
	}
}

func liveActionDoc(e *model.Execution) []byte {
	la := map[string]any{
		"id": e.ID, "action": e.Action.Ref, "parameters": e.Parameters, "context": e.Context,
		"status": e.Status, "start_timestamp": e.StartTimestamp, "end_timestamp": e.EndTimestamp,
		"result": e.Result, "runner_info": e.RunnerInfo, "notify": map[string]any{}, "action_is_workflow": false,
	}
	if e.Result == nil {
		la["result"] = map[string]any{}
	}
	b, _ := json.Marshal(la)
	return b
}

// Cancel cancels an execution: one that has not started is canceled at
// once; a running one goes to canceling and its runner is told to stop.
func (s *Service) Cancel(ctx context.Context, id, user string) (*model.Execution, error) {
	e, err := s.opts.Store.Executions().Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Status.Completed() || !e.Status.Cancelable() {
		return nil, invalid("Action cannot be canceled. State = %s.", e.Status)
	}
	to := model.StatusCanceled
	if e.Status == model.StatusRunning || e.Status == model.StatusPausing || e.Status == model.StatusResuming || e.Status == model.StatusPending {
		to = model.StatusCanceling
	}
	mark := func(e *model.Execution) {
		if e.Context == nil {
			e.Context = map[string]any{}
		}
		e.Context["cancelled_by"] = user
		if to == model.StatusCanceled {
			e.Result, _ = json.Marshal(map[string]any{"message": "Action canceled by user.", "user": user})
		}
	}
	out, err := s.Transition(ctx, id, to, mark)
	if errors.Is(err, model.ErrInvalidTransition) {
		// The status moved under us (e.g. it just started); try once more from the new status.
		cur, gerr := s.opts.Store.Executions().Get(ctx, id)
		if gerr != nil {
			return nil, gerr
		}
		if cur.Status == model.StatusRunning {
			to = model.StatusCanceling
			return s.Transition(ctx, id, to, mark)
		}
		return nil, invalid("Action cannot be canceled. State = %s.", cur.Status)
	}
	return out, err
}

// ReRun requests a new execution of the same action with the original
// parameters overridden by params.
func (s *Service) ReRun(ctx context.Context, id string, params map[string]any, user string, delay int) (*model.Execution, error) {
	orig, err := s.opts.Store.Executions().Get(ctx, id)
	if err != nil {
		return nil, err
	}
	merged := map[string]any{}
	for k, v := range orig.Parameters {
		merged[k] = v
	}
	for k, v := range params {
		merged[k] = v
	}
	c := map[string]any{"re-run": map[string]any{"ref": id}}
	if tc, ok := orig.Context["trace_context"]; ok {
		c["trace_context"] = tc
	}
	return s.Create(ctx, Request{Action: orig.Action.Ref, Parameters: merged, Context: c, User: user, Delay: delay})
}

// RunnerInfo identifies this process in an execution's runner_info.
func RunnerInfo() map[string]any {
	host, _ := os.Hostname()
	return map[string]any{"hostname": host, "pid": os.Getpid()}
}

func (s *Service) packConfig(ctx context.Context, pack string) (map[string]any, error) {
	if s.opts.PackConfig == nil {
		return nil, nil
	}
	cfg, err := s.opts.PackConfig(ctx, pack)
	if err != nil {
		return nil, invalid("Failed to load the config of pack \"%s\": %v", pack, err)
	}
	return cfg, nil
}
