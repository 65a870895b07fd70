package execution

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

// Recover reconciles the store after a start, so no execution is silently
// lost: work that was requested or scheduled is announced again (the
// scheduler and runners pick it up), and executions that were running in a
// process that is gone are marked abandoned (canceling ones canceled).
//
// In embedded mode one process owns every execution, so everything still
// running at start belonged to a process that died.
func (s *Service) Recover(ctx context.Context) (requeued, abandoned int, err error) {
	list, _, err := s.opts.Store.Executions().List(ctx, store.ExecutionFilter{
		Ascending: true,
		Status: []model.Status{model.StatusRequested, model.StatusDelayed, model.StatusScheduled,
			model.StatusRunning, model.StatusCanceling, model.StatusPausing, model.StatusResuming, model.StatusPending},
	})
	if err != nil {
		return 0, 0, fmt.Errorf("recovering executions: %w", err)
	}
	for _, e := range list {
		switch e.Status {
		case model.StatusRequested, model.StatusDelayed, model.StatusScheduled:
			s.announce(ctx, e, "update")
			requeued++
		case model.StatusCanceling:
			if _, err := s.Transition(ctx, e.ID, model.StatusCanceled, nil); err != nil {
				return requeued, abandoned, fmt.Errorf("recovering execution %s: %w", e.ID, err)
			}
			abandoned++
		default:
			msg := map[string]any{"error": "Execution abandoned: the st2d process running it stopped before it finished."}
			if _, err := s.Transition(ctx, e.ID, model.StatusAbandoned, func(x *model.Execution) {
				if x.Result == nil {
					x.Result, _ = json.Marshal(msg)
				}
			}); err != nil {
				return requeued, abandoned, fmt.Errorf("recovering execution %s: %w", e.ID, err)
			}
			abandoned++
		}
	}
	return requeued, abandoned, nil
}
