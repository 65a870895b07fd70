// Package storetest is the conformance suite every store backend must pass.
// A backend's test calls Run with a constructor for a fresh, empty backend.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

// Run runs the whole suite against backends made by newBackend.
func Run(t *testing.T, newBackend func(t *testing.T) store.Backend) {
	t.Run("Content", func(t *testing.T) { testContent(t, newBackend(t)) })
	t.Run("ExecutionLifecycle", func(t *testing.T) { testExecutionLifecycle(t, newBackend(t)) })
	t.Run("ExecutionList", func(t *testing.T) { testExecutionList(t, newBackend(t)) })
	t.Run("ConcurrentUpdates", func(t *testing.T) { testConcurrentUpdates(t, newBackend(t)) })
	t.Run("Output", func(t *testing.T) { testOutput(t, newBackend(t)) })
	t.Run("Tokens", func(t *testing.T) { testTokens(t, newBackend(t)) })
	t.Run("APIKeys", func(t *testing.T) { testAPIKeys(t, newBackend(t)) })
	t.Run("KeyValues", func(t *testing.T) { testKeyValues(t, newBackend(t)) })
	t.Run("Triggers", func(t *testing.T) { testTriggers(t, newBackend(t)) })
}

func testContent(t *testing.T, b store.Backend) {
	ctx := t.Context()
	c := b.Content()
	a := &model.Action{ID: model.NewID(), Ref: "core.local", Pack: "core", Name: "local", RunnerType: "local-shell-cmd", Enabled: true}
	if err := c.CreateAction(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateAction(ctx, &model.Action{ID: model.NewID(), Ref: "core.local", Pack: "core"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate create: got %v, want ErrConflict", err)
	}
	for _, key := range []string{"core.local", a.ID} {
		got, err := c.GetAction(ctx, key)
		if err != nil || got.RunnerType != "local-shell-cmd" {
			t.Fatalf("GetAction(%q) = %+v, %v", key, got, err)
		}
	}
	if _, err := c.GetAction(ctx, "core.nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing action: got %v, want ErrNotFound", err)
	}
	if err := c.PutAction(ctx, &model.Action{ID: model.NewID(), Ref: "other.x", Pack: "other"}); err != nil {
		t.Fatal(err)
	}
	all, _ := c.ListActions(ctx, "")
	core, _ := c.ListActions(ctx, "core")
	if len(all) != 2 || len(core) != 1 {
		t.Fatalf("ListActions: all=%d core=%d", len(all), len(core))
	}
	if err := c.DeleteAction(ctx, "other.x"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteAction(ctx, "other.x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if err := c.PutPack(ctx, &model.Pack{ID: model.NewID(), Ref: "core", Name: "core"}); err != nil {
		t.Fatal(err)
	}
	if p, err := c.GetPack(ctx, "core"); err != nil || p.Name != "core" {
		t.Fatalf("GetPack: %v %v", p, err)
	}
	if err := c.PutRunnerType(ctx, &model.RunnerType{ID: model.NewID(), Name: "noop"}); err != nil {
		t.Fatal(err)
	}
	if rs, err := c.ListRunnerTypes(ctx); err != nil || len(rs) != 1 {
		t.Fatalf("ListRunnerTypes: %v %v", rs, err)
	}
}

func newExecution(ref string, start time.Time) *model.Execution {
	return &model.Execution{
		ID: model.NewID(), Action: &model.Action{Ref: ref}, Status: model.StatusRequested,
		StartTimestamp: model.Time{Time: start.UTC().Truncate(time.Microsecond)},
		Context:        map[string]any{"user": "stanley"}, Parameters: map[string]any{"cmd": "true"},
		Log: []model.LogEntry{{Status: model.StatusRequested, Timestamp: model.Now()}},
	}
}

func testExecutionLifecycle(t *testing.T, b store.Backend) {
	ctx := t.Context()
	r := b.Executions()
	e := newExecution("core.local", time.Now())
	if err := r.Create(ctx, e); err != nil {
		t.Fatal(err)
	}
	if err := r.Create(ctx, e); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate create: %v", err)
	}
	for _, to := range []model.Status{model.StatusScheduled, model.StatusRunning, model.StatusSucceeded} {
		if _, err := r.Update(ctx, e.ID, func(x *model.Execution) error { return x.SetStatus(to, model.Now()) }); err != nil {
			t.Fatalf("to %s: %v", to, err)
		}
	}
	_, err := r.Update(ctx, e.ID, func(x *model.Execution) error { return x.SetStatus(model.StatusRunning, model.Now()) })
	if !errors.Is(err, model.ErrInvalidTransition) {
		t.Fatalf("succeeded → running: got %v", err)
	}
	got, err := r.Get(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != model.StatusSucceeded || len(got.Log) != 4 || got.EndTimestamp.IsZero() {
		t.Fatalf("after lifecycle: %+v", got)
	}
	boom := errors.New("boom")
	if _, err := r.Update(ctx, e.ID, func(x *model.Execution) error { x.Result = json.RawMessage(`1`); return boom }); !errors.Is(err, boom) {
		t.Fatalf("fn error not returned: %v", err)
	}
	if got, _ := r.Get(ctx, e.ID); got.Result != nil {
		t.Fatal("aborted update was written")
	}
	if _, err := r.Get(ctx, model.NewID()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
}

func testExecutionList(t *testing.T, b store.Backend) {
	ctx := t.Context()
	r := b.Executions()
	base := time.Now().Add(-time.Hour)
	var ids []string
	for i := range 10 {
		ref := "core.local"
		if i%2 == 1 {
			ref = "core.noop"
		}
		e := newExecution(ref, base.Add(time.Duration(i)*time.Minute))
		if i == 9 {
			e.Parent = ids[0]
		}
		if err := r.Create(ctx, e); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	list, total, err := r.List(ctx, store.ExecutionFilter{Limit: 3})
	if err != nil || total != 10 || len(list) != 3 || list[0].ID != ids[9] {
		t.Fatalf("newest first, limit 3: total=%d len=%d err=%v", total, len(list), err)
	}
	list, _, _ = r.List(ctx, store.ExecutionFilter{Limit: 2, Offset: 1, Ascending: true})
	if len(list) != 2 || list[0].ID != ids[1] {
		t.Fatal("ascending with offset")
	}
	_, total, _ = r.List(ctx, store.ExecutionFilter{Action: "core.noop"})
	if total != 5 {
		t.Fatalf("action filter total %d", total)
	}
	_, total, _ = r.List(ctx, store.ExecutionFilter{Parent: "null"})
	if total != 9 {
		t.Fatalf("parent=null total %d", total)
	}
	list, _, _ = r.List(ctx, store.ExecutionFilter{Parent: ids[0]})
	if len(list) != 1 || list[0].ID != ids[9] {
		t.Fatal("parent filter")
	}
	after := model.Time{Time: base.Add(7*time.Minute + time.Second)}
	_, total, _ = r.List(ctx, store.ExecutionFilter{After: &after})
	if total != 2 {
		t.Fatalf("timestamp_gt total %d", total)
	}
	_, total, _ = r.List(ctx, store.ExecutionFilter{Status: []model.Status{model.StatusSucceeded}})
	if total != 0 {
		t.Fatalf("status filter total %d", total)
	}
	list, _, _ = r.List(ctx, store.ExecutionFilter{IDs: []string{ids[2], ids[3]}})
	if len(list) != 2 {
		t.Fatal("ids filter")
	}
}

// testConcurrentUpdates checks that read-modify-write updates never lose a write.
func testConcurrentUpdates(t *testing.T, b store.Backend) {
	ctx := context.Background()
	r := b.Executions()
	e := newExecution("core.local", time.Now())
	if err := r.Create(ctx, e); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	const n = 40
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.Update(ctx, e.ID, func(x *model.Execution) error {
				x.Children = append(x.Children, fmt.Sprint(i))
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, _ := r.Get(ctx, e.ID)
	if len(got.Children) != n {
		t.Fatalf("lost updates: %d of %d children", len(got.Children), n)
	}

	// Updates that fail leave no trace, and do not take concurrent good ones down with them.
	refused := errors.New("refused")
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.Update(ctx, e.ID, func(x *model.Execution) error {
				x.Children = append(x.Children, fmt.Sprint("second-", i))
				if i%2 == 1 {
					return refused
				}
				return nil
			})
			if (i%2 == 1) != errors.Is(err, refused) {
				t.Errorf("update %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	got, _ = r.Get(ctx, e.ID)
	if len(got.Children) != n+n/2 {
		t.Fatalf("after mixed updates: %d children, want %d", len(got.Children), n+n/2)
	}
}

func testOutput(t *testing.T, b store.Backend) {
	ctx := t.Context()
	o := b.Output()
	id := model.NewID()
	err := o.Append(ctx,
		&store.OutputChunk{ExecutionID: id, OutputType: "stdout", Data: "a\n", Timestamp: model.Now()},
		&store.OutputChunk{ExecutionID: id, OutputType: "stderr", Data: "b\n", Timestamp: model.Now()},
		&store.OutputChunk{ExecutionID: id, OutputType: "stdout", Data: "c\n", Timestamp: model.Now()},
	)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := o.List(ctx, id, "all")
	out, _ := o.List(ctx, id, "stdout")
	if len(all) != 3 || len(out) != 2 || all[1].Data != "b\n" || out[1].Data != "c\n" {
		t.Fatalf("output: all=%v out=%v", all, out)
	}
	if none, _ := o.List(ctx, model.NewID(), ""); len(none) != 0 {
		t.Fatal("output of unknown execution")
	}
}

func testTokens(t *testing.T, b store.Backend) {
	ctx := t.Context()
	r := b.Tokens()
	live := &model.Token{ID: model.NewID(), User: "alice", Token: "live", Expiry: model.Time{Time: time.Now().Add(time.Hour)}}
	dead := &model.Token{ID: model.NewID(), User: "bob", Token: "dead", Expiry: model.Time{Time: time.Now().Add(-time.Second)}}
	for _, tok := range []*model.Token{live, dead} {
		if err := r.Create(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := r.Get(ctx, "live"); err != nil || got.User != "alice" {
		t.Fatalf("Get live: %v %v", got, err)
	}
	if _, err := r.Get(ctx, "dead"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired token: %v", err)
	}
	if n, err := r.DeleteExpired(ctx, model.Now()); err != nil || n != 1 {
		t.Fatalf("DeleteExpired: %d %v", n, err)
	}
	if err := r.Delete(ctx, "live"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Get(ctx, "live"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted token: %v", err)
	}
}

func testAPIKeys(t *testing.T, b store.Backend) {
	ctx := t.Context()
	r := b.APIKeys()
	k := &model.APIKey{ID: model.NewID(), User: "alice", KeyHash: "abc", Enabled: true}
	if err := r.Create(ctx, k); err != nil {
		t.Fatal(err)
	}
	if got, err := r.GetByHash(ctx, "abc"); err != nil || got.ID != k.ID {
		t.Fatalf("GetByHash: %v %v", got, err)
	}
	k.Enabled = false
	if err := r.Put(ctx, k); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Get(ctx, k.ID); got.Enabled {
		t.Fatal("Put did not disable")
	}
	if all, _ := r.List(ctx); len(all) != 1 {
		t.Fatalf("List: %d", len(all))
	}
	if err := r.Delete(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.GetByHash(ctx, "abc"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func testKeyValues(t *testing.T, b store.Backend) {
	ctx := t.Context()
	r := b.KeyValues()
	put := func(scope, name, value string, expire time.Duration) *model.KeyValuePair {
		kv := &model.KeyValuePair{ID: model.NewID(), Name: name, Value: value, Scope: scope}
		if expire != 0 {
			kv.ExpireTimestamp = model.Time{Time: time.Now().Add(expire)}
		}
		old, err := r.Put(ctx, kv)
		if err != nil {
			t.Fatal(err)
		}
		return old
	}
	if old := put(model.ScopeSystem, "a.one", "1", 0); old != nil {
		t.Fatalf("first put returned old %v", old)
	}
	if old := put(model.ScopeSystem, "a.one", "2", 0); old == nil || old.Value != "1" {
		t.Fatalf("second put returned old %v", old)
	}
	put(model.ScopeSystem, "a.two", "x", 0)
	put(model.ScopeSystem, "b", "x", 0)
	put(model.ScopeSystem, "gone", "x", -time.Second)
	put(model.ScopeUser, "alice:a.one", "u", 0)
	put(model.ScopeSystem, "é.unicode", "x", 0)
	if got, err := r.Get(ctx, model.ScopeSystem, "a.one"); err != nil || got.Value != "2" {
		t.Fatalf("Get: %v %v", got, err)
	}
	if _, err := r.Get(ctx, model.ScopeSystem, "gone"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired item: %v", err)
	}
	for _, c := range []struct {
		scope, prefix string
		want          int
	}{{model.ScopeSystem, "a.", 2}, {model.ScopeSystem, "", 4}, {model.ScopeUser, "alice:", 1}, {"", "a.", 2}, {model.ScopeSystem, "é", 1}} {
		if l, err := r.List(ctx, c.scope, c.prefix); err != nil || len(l) != c.want {
			t.Errorf("List(%q, %q) = %d items, %v; want %d", c.scope, c.prefix, len(l), err, c.want)
		}
	}
	if gone, err := r.DeleteExpired(ctx, model.Now()); err != nil || len(gone) != 1 || gone[0].Name != "gone" {
		t.Fatalf("DeleteExpired: %v %v", gone, err)
	}
	if gone, _ := r.DeleteExpired(ctx, model.Now()); len(gone) != 0 {
		t.Fatalf("second DeleteExpired returned %d items", len(gone))
	}
	if old, err := r.Delete(ctx, model.ScopeSystem, "a.one"); err != nil || old.Value != "2" {
		t.Fatalf("Delete: %v %v", old, err)
	}
	if _, err := r.Delete(ctx, model.ScopeSystem, "a.one"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second Delete: %v", err)
	}
}

func testTriggers(t *testing.T, b store.Backend) {
	ctx := t.Context()
	tt := &model.TriggerType{ID: model.NewID(), Ref: "core.st2.webhook", Name: "st2.webhook", Pack: "core"}
	if err := b.TriggerTypes().Put(ctx, tt); err != nil {
		t.Fatal(err)
	}
	if got, err := b.TriggerTypes().Get(ctx, "core.st2.webhook"); err != nil || got.ID != tt.ID {
		t.Fatalf("trigger type: %v %v", got, err)
	}
	tr := &model.Trigger{ID: model.NewID(), Ref: "core.abc", Pack: "core", Type: "core.st2.webhook", Parameters: map[string]any{"url": "x"}}
	if err := b.Triggers().Put(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if l, _ := b.Triggers().List(ctx); len(l) != 1 || l[0].Parameters["url"] != "x" {
		t.Fatalf("triggers: %v", l)
	}
	if err := b.Triggers().Delete(ctx, tr.ID); err != nil {
		t.Fatal(err)
	}
	base := time.Now()
	for i := range 3 {
		ti := &model.TriggerInstance{ID: model.NewID(), Trigger: "core.abc", Status: model.TriggerInstancePending,
			OccurrenceTime: model.Time{Time: base.Add(time.Duration(i) * time.Second)}, Payload: map[string]any{"i": i}}
		if err := b.TriggerInstances().Create(ctx, ti); err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			if err := b.TriggerInstances().SetStatus(ctx, ti.ID, model.TriggerInstanceProcessed); err != nil {
				t.Fatal(err)
			}
		}
	}
	list, total, err := b.TriggerInstances().List(ctx, store.TriggerInstanceFilter{Limit: 2})
	if err != nil || total != 3 || len(list) != 2 || list[0].Status != model.TriggerInstanceProcessed {
		t.Fatalf("instances: %d %v %v", total, list, err)
	}
	if _, total, _ := b.TriggerInstances().List(ctx, store.TriggerInstanceFilter{Status: model.TriggerInstancePending}); total != 2 {
		t.Fatalf("pending: %d", total)
	}
}
