// Package embedded is st2go's default store backend: one SQLite database
// (modernc.org/sqlite, pure Go) in WAL mode under the data directory.
//
// Documents are stored as JSON with the columns list queries filter and sort
// on beside them. All writes go through a single connection, so a
// read-modify-write in Update is atomic without retries; reads use a
// separate pool and never block on writes (WAL). A commit survives a crash
// of the process (kill -9); synchronous=NORMAL trades the last commits on a
// power loss for throughput, as StackStorm's MongoDB default write concern
// does.
package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/st2go/st2go/internal/store"
)

// Store is the embedded backend. It implements store.Backend.
type Store struct {
	w *sql.DB // single writer connection
	r *sql.DB // readers

	// content is a read-through cache of content documents by kind and
	// key (ref or id). Content changes rarely and every write goes
	// through this Store, which drops the kind's entries on each write.
	cacheMu sync.RWMutex
	content map[string]map[string][]byte
	gens    map[string]uint64 // write generation per kind

	stmts statements

	writes     chan *writeOp
	closing    chan struct{}
	writerDone chan struct{}
	closeOnce  sync.Once
}

// statements are prepared once; preparing a statement costs more than
// running it for the small queries the execution path makes.
type statements struct {
	getExecution, insertExecution, updateExecution *sql.Stmt
	txGetExecution                                 *sql.Stmt // on the writer
}

var _ store.Backend = (*Store)(nil)

const schema = `
CREATE TABLE IF NOT EXISTS content (
	kind TEXT NOT NULL,
	ref  TEXT NOT NULL,
	id   TEXT NOT NULL,
	pack TEXT NOT NULL DEFAULT '',
	doc  BLOB NOT NULL,
	PRIMARY KEY (kind, ref)
);
CREATE UNIQUE INDEX IF NOT EXISTS content_id ON content(kind, id);
CREATE TABLE IF NOT EXISTS executions (
	id        TEXT PRIMARY KEY,
	action    TEXT NOT NULL,
	status    TEXT NOT NULL,
	parent    TEXT NOT NULL DEFAULT '',
	user      TEXT NOT NULL DEFAULT '',
	start_us  INTEGER NOT NULL,
	doc       BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS executions_start ON executions(start_us, id);
CREATE INDEX IF NOT EXISTS executions_status ON executions(status);
CREATE INDEX IF NOT EXISTS executions_action ON executions(action, start_us);
CREATE INDEX IF NOT EXISTS executions_parent ON executions(parent, start_us);
CREATE TABLE IF NOT EXISTS output (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT,
	execution_id TEXT NOT NULL,
	output_type  TEXT NOT NULL,
	doc          BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS output_execution ON output(execution_id, seq);
CREATE TABLE IF NOT EXISTS records (
	kind      TEXT NOT NULL,
	key       TEXT NOT NULL,
	alt       TEXT NOT NULL DEFAULT '',
	expire_us INTEGER NOT NULL DEFAULT 0,
	doc       BLOB NOT NULL,
	PRIMARY KEY (kind, key)
);
CREATE INDEX IF NOT EXISTS records_alt ON records(kind, alt);
CREATE TABLE IF NOT EXISTS trigger_instances (
	id       TEXT PRIMARY KEY,
	trigger  TEXT NOT NULL,
	status   TEXT NOT NULL,
	occurred INTEGER NOT NULL,
	doc      BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS trigger_instances_time ON trigger_instances(occurred, id);
CREATE INDEX IF NOT EXISTS trigger_instances_trigger ON trigger_instances(trigger, occurred);
`

// Open opens (creating if needed) the database file at path.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating store directory: %w", err)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(10000)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	// SQLite reads a file: URI, so characters URIs give meaning to are escaped.
	dsn := "file:" + strings.NewReplacer("%", "%25", "#", "%23", "?", "%3f").Replace(path) + "?" + q.Encode()
	w, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	if _, err := w.ExecContext(ctx, schema); err != nil {
		w.Close()
		return nil, fmt.Errorf("creating store schema in %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	s := &Store{w: w, r: r, content: map[string]map[string][]byte{}, gens: map[string]uint64{},
		writes: make(chan *writeOp), closing: make(chan struct{}), writerDone: make(chan struct{})}
	if err := s.prepare(ctx); err != nil {
		close(s.writerDone)
		s.Close()
		return nil, err
	}
	go s.writer()
	return s, nil
}

func (s *Store) prepare(ctx context.Context) error {
	var err error
	prep := func(db *sql.DB, q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = db.PrepareContext(ctx, q)
		return st
	}
	s.stmts = statements{
		getExecution:    prep(s.r, `SELECT doc FROM executions WHERE id = ?`),
		txGetExecution:  prep(s.w, `SELECT doc FROM executions WHERE id = ?`),
		insertExecution: prep(s.w, `INSERT INTO executions(action, status, parent, user, start_us, doc, id) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		updateExecution: prep(s.w, `UPDATE executions SET action = ?, status = ?, parent = ?, user = ?, start_us = ?, doc = ? WHERE id = ?`),
	}
	if err != nil {
		return fmt.Errorf("preparing store statements: %w", err)
	}
	return nil
}

// Content returns the content repository.
func (s *Store) Content() store.ContentRepo { return contentRepo{s} }

// Executions returns the execution repository.
func (s *Store) Executions() store.ExecutionRepo { return executionRepo{s} }

// Output returns the output repository.
func (s *Store) Output() store.OutputRepo { return outputRepo{s} }

// Tokens returns the token repository.
func (s *Store) Tokens() store.TokenRepo { return tokenRepo{records{s, "token"}} }

// APIKeys returns the API key repository.
func (s *Store) APIKeys() store.APIKeyRepo { return apiKeyRepo{records{s, "apikey"}} }

// KeyValues returns the datastore repository.
func (s *Store) KeyValues() store.KeyValueRepo { return kvRepo{records{s, "kv"}} }

// TriggerTypes returns the trigger type repository.
func (s *Store) TriggerTypes() store.TriggerTypeRepo { return triggerTypeRepo{contentRepo{s}} }

// Triggers returns the trigger repository.
func (s *Store) Triggers() store.TriggerRepo { return triggerRepo{contentRepo{s}} }

// TriggerInstances returns the trigger instance repository.
func (s *Store) TriggerInstances() store.TriggerInstanceRepo { return triggerInstanceRepo{s} }

// Rules returns the rule repository.
func (s *Store) Rules() store.DocRepo { return docRepo{contentRepo{s}, kindRule} }

// SensorTypes returns the sensor type repository.
func (s *Store) SensorTypes() store.DocRepo { return docRepo{contentRepo{s}, kindSensorType} }

// RuleEnforcements returns the rule enforcement repository.
func (s *Store) RuleEnforcements() store.RuleEnforcementRepo {
	return enforcementRepo{records{s, "rule_enforcement"}}
}

// Close closes the database.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.closing) })
	<-s.writerDone
	for _, st := range []*sql.Stmt{s.stmts.getExecution, s.stmts.txGetExecution, s.stmts.insertExecution, s.stmts.updateExecution} {
		if st != nil {
			st.Close()
		}
	}
	return errors.Join(s.r.Close(), s.w.Close())
}

func notFound(err error, what, key string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %q: %w", what, key, store.ErrNotFound)
	}
	return fmt.Errorf("reading %s %q: %w", what, key, err)
}
