package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/st2go/st2go/internal/store"
)

type outputRepo struct{ s *Store }

func (o outputRepo) Append(ctx context.Context, chunks ...*store.OutputChunk) error {
	if len(chunks) == 0 {
		return nil
	}
	return o.s.write(ctx, func(tx *sql.Tx) error {
		for _, c := range chunks {
			doc, err := json.Marshal(c)
			if err != nil {
				return fmt.Errorf("encoding output chunk: %w", err)
			}
			res, err := tx.Exec(`INSERT INTO output(execution_id, output_type, doc) VALUES (?, ?, ?)`, c.ExecutionID, c.OutputType, doc)
			if err != nil {
				return fmt.Errorf("appending output of %s: %w", c.ExecutionID, err)
			}
			c.ID, _ = res.LastInsertId()
		}
		return nil
	})
}

func (o outputRepo) List(ctx context.Context, executionID, outputType string) ([]*store.OutputChunk, error) {
	q := `SELECT seq, doc FROM output WHERE execution_id = ?`
	args := []any{executionID}
	if outputType != "" && outputType != "all" {
		q += ` AND output_type = ?`
		args = append(args, outputType)
	}
	rows, err := o.s.r.QueryContext(ctx, q+` ORDER BY seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("listing output of %s: %w", executionID, err)
	}
	defer rows.Close()
	var out []*store.OutputChunk
	for rows.Next() {
		var seq int64
		var doc []byte
		if err := rows.Scan(&seq, &doc); err != nil {
			return nil, fmt.Errorf("listing output of %s: %w", executionID, err)
		}
		var c store.OutputChunk
		if err := json.Unmarshal(doc, &c); err != nil {
			return nil, fmt.Errorf("decoding output of %s: %w", executionID, err)
		}
		c.ID = seq
		out = append(out, &c)
	}
	return out, rows.Err()
}
