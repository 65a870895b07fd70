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

type executionRepo struct{ s *Store }

func executionRow(e *model.Execution) ([]any, error) {
	doc, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encoding execution %s: %w", e.ID, err)
	}
	ref := ""
	if e.Action != nil {
		ref = e.Action.Ref
	}
	return []any{ref, string(e.Status), e.Parent, e.User(), e.StartTimestamp.UnixMicro(), doc, e.ID}, nil
}

func (r executionRepo) Create(ctx context.Context, e *model.Execution) error {
	row, err := executionRow(e)
	if err != nil {
		return err
	}
	err = r.s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Stmt(r.s.stmts.insertExecution).Exec(row...)
		return err
	})
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return fmt.Errorf("execution %s: %w", e.ID, store.ErrConflict)
		}
		return fmt.Errorf("writing execution %s: %w", e.ID, err)
	}
	return nil
}

func decodeExecution(doc []byte) (*model.Execution, error) {
	var e model.Execution
	if err := json.Unmarshal(doc, &e); err != nil {
		return nil, fmt.Errorf("decoding execution: %w", err)
	}
	return &e, nil
}

func (r executionRepo) Get(ctx context.Context, id string) (*model.Execution, error) {
	var doc []byte
	if err := r.s.stmts.getExecution.QueryRowContext(ctx, id).Scan(&doc); err != nil {
		return nil, notFound(err, "execution", id)
	}
	return decodeExecution(doc)
}

func (r executionRepo) Update(ctx context.Context, id string, fn func(*model.Execution) error) (*model.Execution, error) {
	var out *model.Execution
	err := r.s.write(ctx, func(tx *sql.Tx) error {
		var doc []byte
		if err := tx.Stmt(r.s.stmts.txGetExecution).QueryRow(id).Scan(&doc); err != nil {
			return notFound(err, "execution", id)
		}
		e, err := decodeExecution(doc)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
		row, err := executionRow(e)
		if err != nil {
			return err
		}
		if _, err := tx.Stmt(r.s.stmts.updateExecution).Exec(row...); err != nil {
			return fmt.Errorf("writing execution %s: %w", id, err)
		}
		out = e
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (r executionRepo) List(ctx context.Context, f store.ExecutionFilter) ([]*model.Execution, int, error) {
	var where []string
	var args []any
	if f.Action != "" {
		where = append(where, "action = ?")
		args = append(args, f.Action)
	}
	if len(f.Status) > 0 {
		where = append(where, "status IN ("+placeholders(len(f.Status))+")")
		for _, s := range f.Status {
			args = append(args, string(s))
		}
	}
	if f.User != "" {
		where = append(where, "user = ?")
		args = append(args, f.User)
	}
	switch f.Parent {
	case "":
	case "null":
		where = append(where, "parent = ''")
	default:
		where = append(where, "parent = ?")
		args = append(args, f.Parent)
	}
	if len(f.IDs) > 0 {
		where = append(where, "id IN ("+placeholders(len(f.IDs))+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.After != nil {
		where = append(where, "start_us > ?")
		args = append(args, f.After.UnixMicro())
	}
	if f.Before != nil {
		where = append(where, "start_us < ?")
		args = append(args, f.Before.UnixMicro())
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := r.s.r.QueryRowContext(ctx, `SELECT count(*) FROM executions`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("counting executions: %w", err)
	}
	order := " ORDER BY start_us DESC, id DESC"
	if f.Ascending {
		order = " ORDER BY start_us ASC, id ASC"
	}
	q := `SELECT doc FROM executions` + cond + order
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	} else if f.Offset > 0 {
		q += " LIMIT -1"
	}
	if f.Offset > 0 {
		q += fmt.Sprintf(" OFFSET %d", f.Offset)
	}
	rows, err := r.s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("listing executions: %w", err)
	}
	defer rows.Close()
	out := []*model.Execution{}
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, 0, fmt.Errorf("listing executions: %w", err)
		}
		e, err := decodeExecution(doc)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, 0, fmt.Errorf("listing executions: %w", err)
	}
	return out, total, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
