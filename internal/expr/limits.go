package expr

import (
	"context"
	"time"
)

// Limits bound what one evaluation may do with user-supplied expressions.
// A zero field means the default from [DefaultLimits]; a negative one
// means no limit.
type Limits struct {
	// MaxDepth bounds nesting: of the parsed expression, of values built
	// or rendered, and of macro and recursive-evaluation calls.
	MaxDepth int
	// MaxOutput bounds the size in bytes of any string, list or dict an
	// evaluation builds (rendered text, repeated strings, ranges).
	MaxOutput int
	// MaxSteps bounds the evaluation steps (operators, calls, loop
	// iterations).
	MaxSteps int64
	// Timeout bounds the wall-clock time of one evaluation, on top of the
	// caller's context.
	Timeout time.Duration
}

// DefaultLimits are generous for real templates and small enough to stop
// a runaway expression quickly.
func DefaultLimits() Limits {
	return Limits{
		MaxDepth:  200,
		MaxOutput: 64 << 20,
		MaxSteps:  50_000_000,
		Timeout:   30 * time.Second,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxDepth == 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxOutput == 0 {
		l.MaxOutput = d.MaxOutput
	}
	if l.MaxSteps == 0 {
		l.MaxSteps = d.MaxSteps
	}
	if l.Timeout == 0 {
		l.Timeout = d.Timeout
	}
	return l
}

// Budget enforces [Limits] and context cancellation for one evaluation.
// Engines call Step for every unit of work, Enter/Leave around nesting
// and CheckSize before building large values. A nil *Budget allows
// everything. A Budget is used by one goroutine.
type Budget struct {
	ctx      context.Context
	limits   Limits
	steps    int64
	depth    int
	deadline time.Time
}

// checkEvery is how many steps pass between context and clock checks.
const checkEvery = 1024

// NewBudget starts a budget for an evaluation under ctx.
func NewBudget(ctx context.Context, l Limits) *Budget {
	if ctx == nil {
		ctx = context.Background()
	}
	// The deadline is set at the first periodic check, so that short
	// evaluations (most of them) never read the clock; the first check
	// comes after a few microseconds of work.
	return &Budget{ctx: ctx, limits: l.withDefaults()}
}

// Context is the evaluation's context (context.Background for a nil
// Budget).
func (b *Budget) Context() context.Context {
	if b == nil || b.ctx == nil {
		return context.Background()
	}
	return b.ctx
}

// Limits returns the limits in force (defaults filled in).
func (b *Budget) Limits() Limits {
	if b == nil {
		return Limits{MaxDepth: -1, MaxOutput: -1, MaxSteps: -1, Timeout: -1}
	}
	return b.limits
}

// Step accounts for n units of work and reports a [*LimitError] when the
// step budget or the time is exhausted, or the context's error when it
// is done.
func (b *Budget) Step(n int64) error {
	if b == nil {
		return nil
	}
	before := b.steps
	b.steps += n
	if b.limits.MaxSteps > 0 && b.steps > b.limits.MaxSteps {
		return &LimitError{Limit: "steps", Max: b.limits.MaxSteps}
	}
	if before/checkEvery != b.steps/checkEvery {
		return b.check()
	}
	return nil
}

func (b *Budget) check() error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	if b.limits.Timeout > 0 {
		now := time.Now()
		if b.deadline.IsZero() {
			b.deadline = now.Add(b.limits.Timeout)
		} else if now.After(b.deadline) {
			return &LimitError{Limit: "time", Max: int64(b.limits.Timeout)}
		}
	}
	return nil
}

// Enter accounts for one more level of nesting; every successful Enter
// must be followed by a Leave.
func (b *Budget) Enter() error {
	if b == nil {
		return nil
	}
	if b.limits.MaxDepth > 0 && b.depth >= b.limits.MaxDepth {
		return &LimitError{Limit: "depth", Max: int64(b.limits.MaxDepth)}
	}
	b.depth++
	return nil
}

// Leave ends a level entered with Enter.
func (b *Budget) Leave() {
	if b != nil && b.depth > 0 {
		b.depth--
	}
}

// Depth is the current nesting level.
func (b *Budget) Depth() int {
	if b == nil {
		return 0
	}
	return b.depth
}

// CheckSize reports a [*LimitError] when a value of n bytes (or
// elements) would exceed MaxOutput.
func (b *Budget) CheckSize(n int64) error {
	if b == nil {
		return nil
	}
	if b.limits.MaxOutput > 0 && n > int64(b.limits.MaxOutput) {
		return &LimitError{Limit: "output", Max: int64(b.limits.MaxOutput)}
	}
	return nil
}
