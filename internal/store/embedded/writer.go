package embedded

import (
	"context"
	"database/sql"
	"fmt"
)

// writeOp is one unit of work for the writer: it runs inside a transaction
// shared with other operations and reports its own outcome.
type writeOp struct {
	ctx  context.Context
	run  func(tx *sql.Tx) error
	done chan error
}

// maxBatch bounds how many operations share one commit.
const maxBatch = 128

// write runs fn in a write transaction and returns once it is committed.
//
// Operations that arrive while a commit is under way are grouped into the
// next transaction (group commit): SQLite then writes the WAL once for the
// whole group, which is where most of a small write's cost goes. Each
// operation runs inside its own savepoint, so one that fails is rolled back
// alone and the others still commit.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	op := &writeOp{ctx: ctx, run: fn, done: make(chan error, 1)}
	select {
	case s.writes <- op:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.closing:
		return fmt.Errorf("writing to the store: %w", sql.ErrConnDone)
	}
	return <-op.done
}

// writer is the single goroutine that writes; it exits when closing is closed.
func (s *Store) writer() {
	defer close(s.writerDone)
	for {
		var first *writeOp
		select {
		case first = <-s.writes:
		case <-s.closing:
			return
		}
		batch := []*writeOp{first}
	collect:
		for len(batch) < maxBatch {
			select {
			case op := <-s.writes:
				batch = append(batch, op)
			default:
				break collect
			}
		}
		s.commit(batch)
	}
}

func (s *Store) commit(batch []*writeOp) {
	results := make([]error, len(batch))
	err := func() error {
		tx, err := s.w.BeginTx(context.Background(), nil)
		if err != nil {
			return err
		}
		defer tx.Rollback() //nolint:errcheck // no-op after commit
		for i, op := range batch {
			if err := op.ctx.Err(); err != nil {
				results[i] = err
				continue
			}
			if _, err := tx.Exec(`SAVEPOINT op`); err != nil {
				return err
			}
			if err := op.run(tx); err != nil {
				results[i] = err
				if _, rerr := tx.Exec(`ROLLBACK TO op`); rerr != nil {
					return rerr
				}
			}
			if _, err := tx.Exec(`RELEASE op`); err != nil {
				return err
			}
		}
		return tx.Commit()
	}()
	for i, op := range batch {
		if err != nil {
			op.done <- fmt.Errorf("committing to the store: %w", err)
			continue
		}
		op.done <- results[i]
	}
}
