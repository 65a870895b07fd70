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
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/pack"
	"github.com/st2go/st2go/internal/rules"
	"github.com/st2go/st2go/internal/runner"
	"github.com/st2go/st2go/internal/sensor"
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
	// RulesChanged, when set, is called after rules were registered (the
	// rules engine reloads its index).
	RulesChanged func(ctx context.Context)
	// SensorsChanged, when set, is called after sensors were registered
	// (the sensor container starts and stops sensors to match).
	SensorsChanged func(ctx context.Context)
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
		if wants(types, "action") {
			for _, a := range l.Actions {
				if err := r.Store.Content().PutAction(ctx, a); err != nil {
					return nil, fmt.Errorf("registering action %q: %w", a.Ref, err)
				}
				counts["actions"]++
			}
		}
		if wants(types, "sensor") {
			ns, nt, errs := r.registerSensors(ctx, l)
			counts["sensors"] += ns
			counts["triggers"] += nt
			problems = append(problems, errs...)
		}
		if wants(types, "rule") {
			n, errs := r.registerRules(ctx, l)
			counts["rules"] += n
			problems = append(problems, errs...)
		}
	}
	if wants(types, "rule") && r.RulesChanged != nil {
		r.RulesChanged(ctx)
	}
	if wants(types, "sensor") && r.SensorsChanged != nil {
		r.SensorsChanged(ctx)
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

// registerSensors loads and stores a pack's sensors and the trigger types
// they declare.
func (r *Registrar) registerSensors(ctx context.Context, l *pack.Loaded) (sensors, triggers int, errs []error) {
	for _, path := range l.Sensors {
		st, tts, err := sensor.LoadInPack(l.Pack.Ref, path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, tt := range tts {
			if old, err := r.Store.TriggerTypes().Get(ctx, tt.Ref); err == nil {
				tt.ID = old.ID
			} else {
				tt.ID = pack.StableID(tt.UID)
			}
			if err := r.Store.TriggerTypes().Put(ctx, tt); err != nil {
				errs = append(errs, fmt.Errorf("%s: registering trigger type %s: %w", path, tt.Ref, err))
				continue
			}
			triggers++
		}
		st.ID = pack.StableID(st.UID)
		doc, err := json.Marshal(st)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
			continue
		}
		if err := r.Store.SensorTypes().Put(ctx, &model.StoredDoc{ID: st.ID, Ref: st.Ref, Pack: st.Pack, Doc: doc}); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
			continue
		}
		sensors++
	}
	return sensors, triggers, errs
}

// registerRules loads and stores the rules of one pack.
func (r *Registrar) registerRules(ctx context.Context, l *pack.Loaded) (int, []error) {
	var errs []error
	n := 0
	for _, path := range l.Rules {
		rule, err := rules.LoadPackRule(l.Pack.Ref, l.Pack.Path, path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, w := range rule.Warnings {
			r.logger().Warn("content registration warning", "file", path, "warning", w)
		}
		if err := StoreRule(ctx, r.Store, rule); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
			continue
		}
		n++
	}
	return n, errs
}

// StoreRule gives a rule its trigger (creating it when the rule's trigger
// type and parameters are new), keeps its id when it already exists, and
// writes it to the store.
func StoreRule(ctx context.Context, st store.Backend, rule *rules.Rule) error {
	if _, err := st.TriggerTypes().Get(ctx, rule.Trigger.Type); err != nil {
		return fmt.Errorf("rule %s: trigger type %q is not registered: %w", rule.Ref, rule.Trigger.Type, err)
	}
	ref, err := trigger.Ensure(ctx, st.Triggers(), rule.Trigger.Type, rule.Trigger.Parameters)
	if err != nil {
		return err
	}
	rule.Trigger.Ref = ref
	if old, err := st.Rules().Get(ctx, rule.Ref); err == nil {
		rule.ID = old.ID
	} else if rule.ID == "" {
		rule.ID = pack.StableID(rule.UID)
	}
	doc, err := json.Marshal(rule)
	if err != nil {
		return fmt.Errorf("encoding rule %s: %w", rule.Ref, err)
	}
	return st.Rules().Put(ctx, &model.StoredDoc{ID: rule.ID, Ref: rule.Ref, Pack: rule.Pack, Doc: doc})
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
