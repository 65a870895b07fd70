// Package content registers packs' content into the store, as StackStorm's
// st2-register-content and POST /packs/register do: runner types from the
// runner registry, then each pack and its actions read by package pack.
//
// A broken file never stops the rest: it is reported (file:line) and the
// other files and packs are registered. With failOnFailure the first
// problem makes Register return an error after registering what it could.
package content

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/pack"
	"github.com/st2go/st2go/internal/runner"
	"github.com/st2go/st2go/internal/store"
	"github.com/st2go/st2go/internal/trigger"
)

// Registrar registers content from pack directories.
type Registrar struct {
	Store   store.Backend
	Runners *runner.Registry
	// PackPaths are the pack base paths, searched in order.
	PackPaths []string
	Logger    *slog.Logger
}

// RegisterRunners writes every runner type of the registry to the store.
func (r *Registrar) RegisterRunners(ctx context.Context) (int, error) {
	defs := r.Runners.Definitions()
	for _, d := range defs {
		if err := r.Store.Content().PutRunnerType(ctx, d.RunnerType()); err != nil {
			return 0, fmt.Errorf("registering runner %q: %w", d.Name, err)
		}
	}
	return len(defs), nil
}

// wants reports whether a content type is selected by StackStorm's types list.
func wants(types []string, kind string) bool {
	if len(types) == 0 {
		return true
	}
	for _, t := range types {
		t = strings.ToLower(t)
		if t == "all" || t == kind || t == kind+"s" || strings.TrimSuffix(t, "s") == kind {
			return true
		}
	}
	return false
}

// Register loads the named packs (every pack when names is empty) and
// writes them to the store. It returns counts per content type in the
// shape of StackStorm's register response.
func (r *Registrar) Register(ctx context.Context, names, types []string, failOnFailure bool) (map[string]int, error) {
	counts := map[string]int{"runners": 0, "actions": 0, "triggers": 0, "sensors": 0, "rules": 0,
		"rule_types": 0, "aliases": 0, "policy_types": 0, "policies": 0, "configs": 0}
	var problems []error
	if wants(types, "runner") || wants(types, "action") {
		n, err := r.RegisterRunners(ctx)
		if err != nil {
			return nil, err
		}
		counts["runners"] = n
	}
	if wants(types, "trigger") {
		for _, tt := range trigger.SystemTypes() {
			if err := r.Store.TriggerTypes().Put(ctx, tt); err != nil {
				return nil, fmt.Errorf("registering trigger type %q: %w", tt.Ref, err)
			}
		}
	}
	dirs, err := pack.Discover(r.PackPaths)
	if err != nil {
		problems = append(problems, err)
	}
	found := map[string]bool{}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		if len(names) > 0 && !slices.Contains(names, name) {
			continue
		}
		found[name] = true
		l, errs := pack.Load(dir)
		if l != nil {
			errs = append(errs, l.CheckRunners(r.runnerParams)...)
		}
		problems = append(problems, errs...)
		if l == nil || l.Pack == nil {
			continue
		}
		// Warnings are things StackStorm registers anyway: say them, never fail on them.
		for _, w := range l.Warnings {
			r.logger().Warn("content registration warning", "err", w)
		}
		if err := r.Store.Content().PutPack(ctx, l.Pack); err != nil {
			return nil, fmt.Errorf("registering pack %q: %w", l.Pack.Ref, err)
		}
		if !wants(types, "action") {
			continue
		}
		for _, a := range l.Actions {
			if err := r.Store.Content().PutAction(ctx, a); err != nil {
				return nil, fmt.Errorf("registering action %q: %w", a.Ref, err)
			}
			counts["actions"]++
		}
	}
	for _, n := range names {
		if !found[n] {
			problems = append(problems, fmt.Errorf("pack %q not found in %s", n, strings.Join(r.PackPaths, ":")))
		}
	}
	for _, p := range problems {
		r.logger().Warn("content registration problem", "err", p)
	}
	if failOnFailure && len(problems) > 0 {
		return counts, fmt.Errorf("failed to register content: %w", errors.Join(problems...))
	}
	return counts, nil
}

func (r *Registrar) runnerParams(name string) (model.Params, bool) {
	d, err := r.Runners.Lookup(name)
	if err != nil {
		return nil, false
	}
	return d.Parameters, true
}

func (r *Registrar) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}
