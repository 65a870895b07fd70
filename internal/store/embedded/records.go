package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

// records keeps small documents of one kind by key, with an optional
// secondary key (alt) and an expiry after which they are invisible.
type records struct {
	s    *Store
	kind string
}

func nowUS() int64 { return time.Now().UnixMicro() }

func expiryUS(t model.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// put writes a record and returns the live one it replaced (as JSON), if any.
func (r records) put(ctx context.Context, key, alt string, expire int64, v any, replace bool) ([]byte, error) {
	doc, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding %s %q: %w", r.kind, key, err)
	}
	var old []byte
	err = r.s.write(ctx, func(tx *sql.Tx) error {
		var exp int64
		err := tx.QueryRow(`SELECT doc, expire_us FROM records WHERE kind = ? AND key = ?`, r.kind, key).Scan(&old, &exp)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			old = nil
		case err != nil:
			return err
		case exp != 0 && exp <= nowUS():
			old = nil // expired: as if absent
		case !replace:
			return fmt.Errorf("%s %q: %w", r.kind, key, store.ErrConflict)
		}
		_, err = tx.Exec(`INSERT OR REPLACE INTO records(kind, key, alt, expire_us, doc) VALUES (?, ?, ?, ?, ?)`, r.kind, key, alt, expire, doc)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("writing %s %q: %w", r.kind, key, err)
	}
	return old, nil
}

func (r records) get(ctx context.Context, column, key string, v any) error {
	var doc []byte
	err := r.s.r.QueryRowContext(ctx, `SELECT doc FROM records WHERE kind = ? AND `+column+` = ? AND (expire_us = 0 OR expire_us > ?)`,
		r.kind, key, nowUS()).Scan(&doc)
	if err != nil {
		return notFound(err, r.kind, key)
	}
	if err := json.Unmarshal(doc, v); err != nil {
		return fmt.Errorf("decoding %s %q: %w", r.kind, key, err)
	}
	return nil
}

// del removes a live record and returns it as JSON.
func (r records) del(ctx context.Context, key string) ([]byte, error) {
	var doc []byte
	err := r.s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRow(`SELECT doc FROM records WHERE kind = ? AND key = ? AND (expire_us = 0 OR expire_us > ?)`, r.kind, key, nowUS()).Scan(&doc)
		if err != nil {
			return notFound(err, r.kind, key)
		}
		_, err = tx.Exec(`DELETE FROM records WHERE kind = ? AND key = ?`, r.kind, key)
		return err
	})
	return doc, err
}

func listRecords[T any](ctx context.Context, r records, keyPrefix string) ([]*T, error) {
	rows, err := r.s.r.QueryContext(ctx, `SELECT doc FROM records WHERE kind = ? AND substr(CAST(key AS BLOB), 1, ?) = CAST(? AS BLOB) AND (expire_us = 0 OR expire_us > ?) ORDER BY key`,
		r.kind, len(keyPrefix), keyPrefix, nowUS())
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", r.kind, err)
	}
	defer rows.Close()
	out := []*T{}
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, fmt.Errorf("listing %s: %w", r.kind, err)
		}
		v := new(T)
		if err := json.Unmarshal(doc, v); err != nil {
			return nil, fmt.Errorf("decoding %s: %w", r.kind, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

type tokenRepo struct{ records }

func (t tokenRepo) Create(ctx context.Context, tok *model.Token) error {
	_, err := t.put(ctx, tok.Token, tok.User, expiryUS(tok.Expiry), tok, false)
	return err
}

func (t tokenRepo) Get(ctx context.Context, token string) (*model.Token, error) {
	var tok model.Token
	if err := t.get(ctx, "key", token, &tok); err != nil {
		return nil, err
	}
	return &tok, nil
}

func (t tokenRepo) Delete(ctx context.Context, token string) error {
	_, err := t.del(ctx, token)
	return err
}

func (t tokenRepo) DeleteExpired(ctx context.Context, before model.Time) (int, error) {
	var n int64
	err := t.s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM records WHERE kind = ? AND expire_us != 0 AND expire_us < ?`, t.kind, before.UnixMicro())
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("deleting expired tokens: %w", err)
	}
	return int(n), nil
}

type apiKeyRepo struct{ records }

func (a apiKeyRepo) Create(ctx context.Context, k *model.APIKey) error {
	_, err := a.put(ctx, k.ID, k.KeyHash, 0, k, false)
	return err
}

func (a apiKeyRepo) Put(ctx context.Context, k *model.APIKey) error {
	_, err := a.put(ctx, k.ID, k.KeyHash, 0, k, true)
	return err
}

func (a apiKeyRepo) Get(ctx context.Context, id string) (*model.APIKey, error) {
	var k model.APIKey
	if err := a.get(ctx, "key", id, &k); err != nil {
		return nil, err
	}
	return &k, nil
}

func (a apiKeyRepo) GetByHash(ctx context.Context, hash string) (*model.APIKey, error) {
	var k model.APIKey
	if err := a.get(ctx, "alt", hash, &k); err != nil {
		return nil, err
	}
	return &k, nil
}

func (a apiKeyRepo) List(ctx context.Context) ([]*model.APIKey, error) {
	return listRecords[model.APIKey](ctx, a.records, "")
}

func (a apiKeyRepo) Delete(ctx context.Context, id string) error {
	_, err := a.del(ctx, id)
	return err
}

type kvRepo struct{ records }

func kvKey(scope, name string) string { return scope + "\x00" + name }

func decodeKV(doc []byte) (*model.KeyValuePair, error) {
	if doc == nil {
		return nil, nil
	}
	var kv model.KeyValuePair
	if err := json.Unmarshal(doc, &kv); err != nil {
		return nil, fmt.Errorf("decoding key-value pair: %w", err)
	}
	return &kv, nil
}

func (k kvRepo) Put(ctx context.Context, kv *model.KeyValuePair) (*model.KeyValuePair, error) {
	old, err := k.put(ctx, kvKey(kv.Scope, kv.Name), kv.Scope, expiryUS(kv.ExpireTimestamp), kv, true)
	if err != nil {
		return nil, err
	}
	return decodeKV(old)
}

func (k kvRepo) Get(ctx context.Context, scope, name string) (*model.KeyValuePair, error) {
	var kv model.KeyValuePair
	if err := k.get(ctx, "key", kvKey(scope, name), &kv); err != nil {
		return nil, err
	}
	return &kv, nil
}

func (k kvRepo) List(ctx context.Context, scope, prefix string) ([]*model.KeyValuePair, error) {
	if scope == "" {
		all, err := listRecords[model.KeyValuePair](ctx, k.records, "")
		if err != nil {
			return nil, err
		}
		out := all[:0]
		for _, kv := range all {
			if strings.HasPrefix(kv.Name, prefix) {
				out = append(out, kv)
			}
		}
		return out, nil
	}
	return listRecords[model.KeyValuePair](ctx, k.records, kvKey(scope, prefix))
}

func (k kvRepo) Delete(ctx context.Context, scope, name string) (*model.KeyValuePair, error) {
	doc, err := k.del(ctx, kvKey(scope, name))
	if err != nil {
		return nil, err
	}
	return decodeKV(doc)
}

func (k kvRepo) DeleteExpired(ctx context.Context, before model.Time) ([]*model.KeyValuePair, error) {
	var out []*model.KeyValuePair
	err := k.s.write(ctx, func(tx *sql.Tx) error {
		out = nil
		rows, err := tx.Query(`SELECT doc FROM records WHERE kind = ? AND expire_us != 0 AND expire_us < ?`, k.kind, before.UnixMicro())
		if err != nil {
			return err
		}
		for rows.Next() {
			var doc []byte
			if err := rows.Scan(&doc); err != nil {
				rows.Close()
				return err
			}
			kv, err := decodeKV(doc)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, kv)
		}
		rows.Close()
		_, err = tx.Exec(`DELETE FROM records WHERE kind = ? AND expire_us != 0 AND expire_us < ?`, k.kind, before.UnixMicro())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("deleting expired key-value pairs: %w", err)
	}
	return out, nil
}

type enforcementRepo struct{ records }

func (e enforcementRepo) Create(ctx context.Context, re *model.RuleEnforcement) error {
	_, err := e.put(ctx, re.ID, re.Rule.Ref, 0, re, false)
	return err
}

func (e enforcementRepo) Get(ctx context.Context, id string) (*model.RuleEnforcement, error) {
	var re model.RuleEnforcement
	if err := e.get(ctx, "key", id, &re); err != nil {
		return nil, err
	}
	return &re, nil
}

func (e enforcementRepo) List(ctx context.Context) ([]*model.RuleEnforcement, error) {
	all, err := listRecords[model.RuleEnforcement](ctx, e.records, "")
	if err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool {
		if !all[i].EnforcedAt.Equal(all[j].EnforcedAt.Time) {
			return all[i].EnforcedAt.After(all[j].EnforcedAt.Time)
		}
		return all[i].ID > all[j].ID
	})
	return all, nil
}
