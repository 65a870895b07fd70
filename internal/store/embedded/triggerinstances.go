package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

type triggerInstanceRepo struct{ s *Store }

func (r triggerInstanceRepo) Create(ctx context.Context, ti *model.TriggerInstance) error {
	doc, err := json.Marshal(ti)
	if err != nil {
		return fmt.Errorf("encoding trigger instance: %w", err)
	}
	err = r.s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO trigger_instances(id, trigger, status, occurred, doc) VALUES (?, ?, ?, ?, ?)`,
			ti.ID, ti.Trigger, ti.Status, ti.OccurrenceTime.UnixMicro(), doc)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing trigger instance %s: %w", ti.ID, err)
	}
	return nil
}

func (r triggerInstanceRepo) Get(ctx context.Context, id string) (*model.TriggerInstance, error) {
	var doc []byte
	if err := r.s.r.QueryRowContext(ctx, `SELECT doc FROM trigger_instances WHERE id = ?`, id).Scan(&doc); err != nil {
		return nil, notFound(err, "trigger instance", id)
	}
	var ti model.TriggerInstance
	if err := json.Unmarshal(doc, &ti); err != nil {
		return nil, fmt.Errorf("decoding trigger instance %s: %w", id, err)
	}
	return &ti, nil
}

func (r triggerInstanceRepo) SetStatus(ctx context.Context, id, status string) error {
	return r.s.write(ctx, func(tx *sql.Tx) error {
		var doc []byte
		if err := tx.QueryRow(`SELECT doc FROM trigger_instances WHERE id = ?`, id).Scan(&doc); err != nil {
			return notFound(err, "trigger instance", id)
		}
		var ti model.TriggerInstance
		if err := json.Unmarshal(doc, &ti); err != nil {
			return fmt.Errorf("decoding trigger instance %s: %w", id, err)
		}
		ti.Status = status
		doc, _ = json.Marshal(&ti)
		_, err := tx.Exec(`UPDATE trigger_instances SET status = ?, doc = ? WHERE id = ?`, status, doc, id)
		return err
	})
}

func (r triggerInstanceRepo) List(ctx context.Context, f store.TriggerInstanceFilter) ([]*model.TriggerInstance, int, error) {
	var where []string
	var args []any
	if f.Trigger != "" {
		where = append(where, "trigger = ?")
		args = append(args, f.Trigger)
	}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	if f.After != nil {
		where = append(where, "occurred > ?")
		args = append(args, f.After.UnixMicro())
	}
	if f.Before != nil {
		where = append(where, "occurred < ?")
		args = append(args, f.Before.UnixMicro())
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := r.s.r.QueryRowContext(ctx, `SELECT count(*) FROM trigger_instances`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("counting trigger instances: %w", err)
	}
	q := `SELECT doc FROM trigger_instances` + cond + ` ORDER BY occurred DESC, id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, f.Offset)
	} else if f.Offset > 0 {
		q += fmt.Sprintf(" LIMIT -1 OFFSET %d", f.Offset)
	}
	rows, err := r.s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("listing trigger instances: %w", err)
	}
	defer rows.Close()
	out := []*model.TriggerInstance{}
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, 0, fmt.Errorf("listing trigger instances: %w", err)
		}
		var ti model.TriggerInstance
		if err := json.Unmarshal(doc, &ti); err != nil {
			return nil, 0, fmt.Errorf("decoding trigger instance: %w", err)
		}
		out = append(out, &ti)
	}
	return out, total, rows.Err()
}
