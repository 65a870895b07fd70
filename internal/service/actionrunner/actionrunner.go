// Package actionrunner is st2go's st2actionrunner: it takes scheduled
// executions off st2.actionrunner.work, runs them through their runner
// plugin with a bounded pool, streams their output, records the result and
// stops them when they are canceled.
package actionrunner

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/execution"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/runner"
	"github.com/st2go/st2go/internal/store"
)

// Options configure the action runner.
type Options struct {
	Store      store.Backend
	Bus        bus.Backend
	Executions *execution.Service
	Runners    *runner.Registry
	Logger     *slog.Logger
	// PoolSize bounds concurrent executions ([actionrunner] actions_pool_size).
	PoolSize int
	// StreamOutput stores and publishes output lines as they come ([actionrunner] stream_output).
	StreamOutput bool
	// APIURL is given to actions as ST2_ACTION_API_URL.
	APIURL string
	Debug  bool
	// GracePeriod is how long a stop waits for running executions before
	// stopping them ([actionrunner] graceful_shutdown, exit_still_active_check).
	GracePeriod time.Duration
	// Processes remembers the process groups of running actions so a
	// restart after a crash can stop them; nil means no tracking.
	Processes ProcessTracker
	// Tokens issues each execution its own short-lived token
	// (ST2_ACTION_AUTH_TOKEN); nil, or disabled auth, means none.
	Tokens TokenIssuer
}

// ProcessTracker records an execution's process groups until forget is called.
type ProcessTracker interface {
	Track(executionID string, pgid int) (forget func())
}

// TokenIssuer issues and revokes the per-execution service tokens.
type TokenIssuer interface {
	Enabled() bool
	IssueServiceToken(ctx context.Context, user string, metadata map[string]any) (*model.Token, error)
	RevokeToken(ctx context.Context, token string) error
}

// Runner is the action runner service.
type Runner struct {
	opts Options
	log  *slog.Logger

	mu       sync.Mutex
	running  map[string]context.CancelFunc
	stopping atomic.Bool // set when a shutdown stops running executions
}

// New returns an action runner service.
func New(opts Options) *Runner {
	if opts.PoolSize <= 0 {
		opts.PoolSize = 60
	}
	l := opts.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return &Runner{opts: opts, log: l.With("component", "actionrunner"), running: map[string]context.CancelFunc{}}
}

// Run consumes scheduled executions and cancel requests until ctx ends.
// On return every execution it started has finished or been recorded.
func (r *Runner) Run(ctx context.Context) error {
	work, err := r.opts.Bus.Consume(ctx, bus.Bind(bus.QueueRunnerWork, bus.ExchangeLiveActionStatus, string(model.StatusScheduled)))
	if err != nil {
		return err
	}
	defer work.Close()
	// Cancel requests go to every runner process: only the one running the execution acts.
	cancels, err := r.opts.Bus.Consume(ctx, bus.Bind("", bus.ExchangeLiveActionStatus, string(model.StatusCanceling)))
	if err != nil {
		return err
	}
	defer cancels.Close()
	go func() {
		for {
			d, err := cancels.Receive(ctx)
			if err != nil {
				return
			}
			r.cancel(string(d.Body()))
			d.Ack()
		}
	}()

	// Running executions outlive ctx by up to GracePeriod, then are stopped.
	hard, stopAll := context.WithCancel(context.WithoutCancel(ctx))
	defer stopAll()
	var wg sync.WaitGroup
	defer r.drain(&wg, stopAll)
	slots := make(chan struct{}, r.opts.PoolSize)
	for {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		d, err := work.Receive(ctx)
		if err != nil {
			<-slots
			return nil
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			r.execute(hard, string(d.Body()))
			d.Ack()
		}()
	}
}

// drain waits for running executions for the grace period, then stops
// them; they are recorded as abandoned.
func (r *Runner) drain(wg *sync.WaitGroup, stopAll context.CancelFunc) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	r.mu.Lock()
	n := len(r.running)
	r.mu.Unlock()
	if n > 0 {
		r.log.Info("waiting for running executions", "count", n, "grace", r.opts.GracePeriod)
	}
	t := time.NewTimer(r.opts.GracePeriod)
	defer t.Stop()
	select {
	case <-done:
		return
	case <-t.C:
	}
	r.stopping.Store(true)
	stopAll()
	<-done
}

func (r *Runner) cancel(id string) {
	r.mu.Lock()
	stop := r.running[id]
	r.mu.Unlock()
	if stop != nil {
		stop()
	}
}

func (r *Runner) execute(ctx context.Context, id string) {
	// The cancel hook is in place before the execution is seen running,
	// so a cancel request that follows the running status always finds
	// it. ctx ends only when a shutdown gives up waiting.
	runCtx, stop := context.WithCancel(ctx)
	r.mu.Lock()
	r.running[id] = stop
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.running, id)
		r.mu.Unlock()
		stop()
	}()
	e, err := r.opts.Executions.Transition(ctx, id, model.StatusRunning, func(e *model.Execution) {
		e.RunnerInfo = execution.RunnerInfo()
	})
	if err != nil {
		if !errors.Is(err, model.ErrInvalidTransition) {
			r.log.Error("starting execution", "execution", id, "err", err)
		}
		return // canceled meanwhile, or a duplicate delivery
	}

	status, output := r.runAction(runCtx, e)
	if r.stopping.Load() && status == model.StatusCanceled {
		status = model.StatusAbandoned
		output = map[string]any{"error": "Execution abandoned: st2d shut down while the action was running."}
	}
	result, err := runner.MarshalOutput(output)
	if err != nil {
		status, result = model.StatusFailed, mustJSON(map[string]any{"error": err.Error()})
	}
	finish := context.WithoutCancel(ctx)
	if _, err := r.opts.Executions.Transition(finish, id, status, func(e *model.Execution) {
		e.Result = result
		e.ResultSize = len(result)
	}); err != nil {
		r.log.Error("recording execution result", "execution", id, "status", status, "err", err)
	}
}

// runAction resolves parameters and runs the runner, turning every failure
// into a failed status with an error message in the result.
func (r *Runner) runAction(ctx context.Context, e *model.Execution) (model.Status, any) {
	fail := func(msg string) (model.Status, any) {
		return model.StatusFailed, map[string]any{"error": msg}
	}
	pc, err := r.opts.Executions.ParamContext(ctx, e.Action, e.Context, nil)
	if err != nil {
		return fail(err.Error())
	}
	resolved, err := execution.ResolveParams(e.Action, e.Runner, e.Parameters, pc)
	if err != nil {
		return fail(err.Error())
	}
	impl, err := r.opts.Runners.New(e.Action.RunnerType)
	if err != nil {
		return fail(err.Error())
	}
	packPath := ""
	if p, err := r.opts.Store.Content().GetPack(ctx, e.Action.Pack); err == nil {
		packPath = p.Path
	}
	entry := ""
	if e.Action.EntryPoint != "" && packPath != "" {
		entry = filepath.Join(packPath, "actions", e.Action.EntryPoint)
	}
	env := r.actionEnv(e)
	if t := r.opts.Tokens; t != nil && t.Enabled() {
		tok, err := t.IssueServiceToken(ctx, e.User(), map[string]any{
			"service": "actions_container", "action_name": e.Action.Ref, "live_action_id": e.ID,
		})
		if err != nil {
			return fail(err.Error())
		}
		// The token dies with the execution.
		defer t.RevokeToken(context.WithoutCancel(ctx), tok.Token)
		env["ST2_ACTION_AUTH_TOKEN"] = tok.Token
	}
	out := newOutputWriter(r, e)
	defer out.close()
	req := &runner.Request{
		ExecutionID: e.ID, Action: e.Action, RunnerParams: resolved.Runner, ActionParams: resolved.Action,
		ParamSpecs: resolved.Specs, PackPath: packPath, EntryPoint: entry, User: e.User(),
		Env: env, Output: out.line,
	}
	if pt := r.opts.Processes; pt != nil {
		var mu sync.Mutex
		var forgets []func()
		req.Started = func(pgid int) {
			f := pt.Track(e.ID, pgid)
			mu.Lock()
			forgets = append(forgets, f)
			mu.Unlock()
		}
		defer func() {
			mu.Lock()
			defer mu.Unlock()
			for _, f := range forgets {
				f()
			}
		}()
	}
	res, err := impl.Run(ctx, req)
	if err != nil {
		return fail(err.Error())
	}
	out.close()
	return res.Status, res.Output
}

func (r *Runner) actionEnv(e *model.Execution) map[string]string {
	env := map[string]string{
		"ST2_ACTION_PACK_NAME":    e.Action.Pack,
		"ST2_ACTION_EXECUTION_ID": e.ID,
		"ST2_ACTION_API_URL":      r.opts.APIURL,
	}
	if r.opts.Debug {
		env["ST2_ACTION_DEBUG"] = "True"
	}
	return env
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
