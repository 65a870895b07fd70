package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

type contentRepo struct{ s *Store }

const (
	kindPack   = "pack"
	kindRunner = "runner_type"
	kindAction = "action"
)

func (c contentRepo) put(ctx context.Context, kind, ref, id, pack string, v any, replace bool) error {
	doc, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding %s %q: %w", kind, ref, err)
	}
	verb := "INSERT OR REPLACE"
	if !replace {
		verb = "INSERT"
	}
	defer c.s.dropCache(kind)
	_, err = c.s.w.ExecContext(ctx, verb+` INTO content(kind, ref, id, pack, doc) VALUES (?, ?, ?, ?, ?)`, kind, ref, id, pack, doc)
	if err != nil {
		if !replace && strings.Contains(err.Error(), "UNIQUE") {
			return fmt.Errorf("%s %q: %w", kind, ref, store.ErrConflict)
		}
		return fmt.Errorf("writing %s %q: %w", kind, ref, err)
	}
	return nil
}

func (c contentRepo) get(ctx context.Context, kind, refOrID string, v any) error {
	doc, ok := c.s.cached(kind, refOrID)
	if ok && doc == nil {
		return fmt.Errorf("%s %q: %w", kind, refOrID, store.ErrNotFound) // remembered miss
	}
	if !ok {
		gen := c.s.cacheGen(kind)
		err := c.s.r.QueryRowContext(ctx, `SELECT doc FROM content WHERE kind = ? AND (ref = ? OR id = ?)`, kind, refOrID, refOrID).Scan(&doc)
		if errors.Is(err, sql.ErrNoRows) {
			// Misses are remembered too (the rules engine asks for trigger
			// refs that are types on every trigger instance); any write of
			// the kind forgets them.
			c.s.cache(kind, refOrID, nil, gen)
		}
		if err != nil {
			return notFound(err, kind, refOrID)
		}
		c.s.cache(kind, refOrID, doc, gen)
	}
	if err := json.Unmarshal(doc, v); err != nil {
		return fmt.Errorf("decoding %s %q: %w", kind, refOrID, err)
	}
	return nil
}

func list[T any](ctx context.Context, c contentRepo, kind, pack string) ([]*T, error) {
	q := `SELECT doc FROM content WHERE kind = ?`
	args := []any{kind}
	if pack != "" {
		q += ` AND pack = ?`
		args = append(args, pack)
	}
	rows, err := c.s.r.QueryContext(ctx, q+` ORDER BY ref`, args...)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", kind, err)
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, fmt.Errorf("listing %s: %w", kind, err)
		}
		v := new(T)
		if err := json.Unmarshal(doc, v); err != nil {
			return nil, fmt.Errorf("decoding %s: %w", kind, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (c contentRepo) PutPack(ctx context.Context, p *model.Pack) error {
	return c.put(ctx, kindPack, p.Ref, p.ID, p.Ref, p, true)
}

func (c contentRepo) GetPack(ctx context.Context, refOrID string) (*model.Pack, error) {
	var p model.Pack
	return &p, c.get(ctx, kindPack, refOrID, &p)
}

func (c contentRepo) ListPacks(ctx context.Context) ([]*model.Pack, error) {
	return list[model.Pack](ctx, c, kindPack, "")
}

func (c contentRepo) PutRunnerType(ctx context.Context, r *model.RunnerType) error {
	return c.put(ctx, kindRunner, r.Name, r.ID, "", r, true)
}

func (c contentRepo) GetRunnerType(ctx context.Context, nameOrID string) (*model.RunnerType, error) {
	var r model.RunnerType
	return &r, c.get(ctx, kindRunner, nameOrID, &r)
}

func (c contentRepo) ListRunnerTypes(ctx context.Context) ([]*model.RunnerType, error) {
	return list[model.RunnerType](ctx, c, kindRunner, "")
}

func (c contentRepo) PutAction(ctx context.Context, a *model.Action) error {
	return c.put(ctx, kindAction, a.Ref, a.ID, a.Pack, a, true)
}

func (c contentRepo) CreateAction(ctx context.Context, a *model.Action) error {
	return c.put(ctx, kindAction, a.Ref, a.ID, a.Pack, a, false)
}

func (c contentRepo) GetAction(ctx context.Context, refOrID string) (*model.Action, error) {
	var a model.Action
	return &a, c.get(ctx, kindAction, refOrID, &a)
}

func (c contentRepo) ListActions(ctx context.Context, pack string) ([]*model.Action, error) {
	return list[model.Action](ctx, c, kindAction, pack)
}

func (c contentRepo) DeleteAction(ctx context.Context, refOrID string) error {
	return c.del(ctx, kindAction, refOrID)
}

func (c contentRepo) del(ctx context.Context, kind, refOrID string) error {
	defer c.s.dropCache(kind)
	res, err := c.s.w.ExecContext(ctx, `DELETE FROM content WHERE kind = ? AND (ref = ? OR id = ?)`, kind, refOrID, refOrID)
	if err != nil {
		return fmt.Errorf("deleting %s %q: %w", kind, refOrID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s %q: %w", kind, refOrID, store.ErrNotFound)
	}
	return nil
}

func (s *Store) cached(kind, key string) ([]byte, bool) {
	s.cacheMu.RLock()
	defer s.cacheMu.RUnlock()
	doc, ok := s.content[kind][key]
	return doc, ok
}

// cacheGen is the kind's write generation: a read remembers it before
// querying and caches its answer only if no write happened meanwhile.
func (s *Store) cacheGen(kind string) uint64 {
	s.cacheMu.RLock()
	defer s.cacheMu.RUnlock()
	return s.gens[kind]
}

func (s *Store) cache(kind, key string, doc []byte, gen uint64) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if s.gens[kind] != gen {
		return
	}
	if s.content[kind] == nil {
		s.content[kind] = map[string][]byte{}
	}
	s.content[kind][key] = doc
}

func (s *Store) dropCache(kind string) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	delete(s.content, kind)
	s.gens[kind]++
}

const (
	kindTriggerType = "trigger_type"
	kindTrigger     = "trigger"
)

type triggerTypeRepo struct{ c contentRepo }

func (r triggerTypeRepo) Put(ctx context.Context, t *model.TriggerType) error {
	return r.c.put(ctx, kindTriggerType, t.Ref, t.ID, t.Pack, t, true)
}

func (r triggerTypeRepo) Get(ctx context.Context, refOrID string) (*model.TriggerType, error) {
	var t model.TriggerType
	return &t, r.c.get(ctx, kindTriggerType, refOrID, &t)
}

func (r triggerTypeRepo) List(ctx context.Context) ([]*model.TriggerType, error) {
	return list[model.TriggerType](ctx, r.c, kindTriggerType, "")
}

func (r triggerTypeRepo) Delete(ctx context.Context, refOrID string) error {
	return r.c.del(ctx, kindTriggerType, refOrID)
}

type triggerRepo struct{ c contentRepo }

func (r triggerRepo) Put(ctx context.Context, t *model.Trigger) error {
	return r.c.put(ctx, kindTrigger, t.Ref, t.ID, t.Pack, t, true)
}

func (r triggerRepo) Get(ctx context.Context, refOrID string) (*model.Trigger, error) {
	var t model.Trigger
	return &t, r.c.get(ctx, kindTrigger, refOrID, &t)
}

func (r triggerRepo) List(ctx context.Context) ([]*model.Trigger, error) {
	return list[model.Trigger](ctx, r.c, kindTrigger, "")
}

func (r triggerRepo) Delete(ctx context.Context, refOrID string) error {
	return r.c.del(ctx, kindTrigger, refOrID)
}

const (
	kindRule       = "rule"
	kindSensorType = "sensor_type"
)

// docRepo keeps documents of one kind (rules, sensor types) as JSON.
type docRepo struct {
	c    contentRepo
	kind string
}

// The content table holds the rule document itself; ref, id and pack are
// its columns.
func (r docRepo) Put(ctx context.Context, rule *model.StoredDoc) error {
	return r.c.put(ctx, r.kind, rule.Ref, rule.ID, rule.Pack, json.RawMessage(rule.Doc), true)
}

func (r docRepo) Get(ctx context.Context, refOrID string) (*model.StoredDoc, error) {
	var doc json.RawMessage
	if err := r.c.get(ctx, r.kind, refOrID, &doc); err != nil {
		return nil, err
	}
	return r.row(ctx, refOrID, doc)
}

func (r docRepo) row(ctx context.Context, refOrID string, doc []byte) (*model.StoredDoc, error) {
	out := &model.StoredDoc{Doc: doc}
	err := r.c.s.r.QueryRowContext(ctx, `SELECT id, ref, pack FROM content WHERE kind = ? AND (ref = ? OR id = ?)`,
		r.kind, refOrID, refOrID).Scan(&out.ID, &out.Ref, &out.Pack)
	if err != nil {
		return nil, notFound(err, r.kind, refOrID)
	}
	return out, nil
}

func (r docRepo) List(ctx context.Context) ([]*model.StoredDoc, error) {
	rows, err := r.c.s.r.QueryContext(ctx, `SELECT id, ref, pack, doc FROM content WHERE kind = ? ORDER BY ref`, r.kind)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", r.kind, err)
	}
	defer rows.Close()
	var out []*model.StoredDoc
	for rows.Next() {
		var sr model.StoredDoc
		if err := rows.Scan(&sr.ID, &sr.Ref, &sr.Pack, &sr.Doc); err != nil {
			return nil, fmt.Errorf("listing %s: %w", r.kind, err)
		}
		out = append(out, &sr)
	}
	return out, rows.Err()
}

func (r docRepo) Delete(ctx context.Context, refOrID string) error {
	return r.c.del(ctx, r.kind, refOrID)
}
