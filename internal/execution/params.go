package execution

import (
	"context"
	"errors"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/param"
)

// Resolved are an execution's final parameter values, split as its runner
// receives them, and the merged schema.
type Resolved struct {
	Runner map[string]any
	Action map[string]any
	Specs  model.Params
}

// RenderLive validates a request's parameters against the action and
// runner schemas and renders them as StackStorm does at request time. The
// result is what the execution records as its parameters. Mistakes in the
// request are *InvalidError.
func RenderLive(action *model.Action, rt *model.RunnerType, live map[string]any, pc param.Context) (map[string]any, error) {
	r, err := param.Resolve(rt.RunnerParameters, action.Parameters, live, pc)
	if err != nil {
		return nil, classify(action, err)
	}
	return r.Live, nil
}

// ResolveParams computes the final runner and action values of an
// execution's recorded parameters (StackStorm's render_final_params).
func ResolveParams(action *model.Action, rt *model.RunnerType, params map[string]any, pc param.Context) (*Resolved, error) {
	specs, err := param.Merge(rt.RunnerParameters, action.Parameters)
	if err != nil {
		return nil, classify(action, err)
	}
	pc.Extra = nil // request-time only, as in StackStorm
	rv, av, err := param.RenderFinal(rt.RunnerParameters, action.Parameters, params, pc)
	if err != nil {
		return nil, classify(action, err)
	}
	return &Resolved{Runner: rv, Action: av, Specs: specs}, nil
}

// ParamContext is what parameter templates can read for an execution:
// action_context, config_context (the pack's config), st2kv (the
// datastore, user scope = the execution's user) and extra contexts.
func (s *Service) ParamContext(ctx context.Context, action *model.Action, execCtx, extra map[string]any) (param.Context, error) {
	cfg, err := s.packConfig(ctx, action.Pack)
	if err != nil {
		return param.Context{}, err
	}
	pc := param.Context{Action: execCtx, Config: cfg, Extra: extra}
	if s.opts.Datastore != nil {
		pc.Datastore = s.opts.Datastore
	}
	if u, ok := execCtx["user"].(string); ok {
		pc.User = u
	}
	return pc, nil
}

// classify turns parameter errors into request errors.
func classify(action *model.Action, err error) error {
	var oe *param.OverrideError
	if errors.As(err, &oe) {
		oe.Action = action.Ref
		return &InvalidError{Msg: oe.Error()}
	}
	var pe *param.Error
	if errors.As(err, &pe) {
		return &InvalidError{Msg: pe.Error()}
	}
	var te *param.TemplateError
	if errors.As(err, &te) {
		return &InvalidError{Msg: te.Error()}
	}
	return err
}
