package refserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// schemaVersion is stored in PRAGMA user_version; a database of another version is refused.
const schemaVersion = 1

// schema creates the tables. Times ending in _ms are Unix milliseconds; issued_at and
// expires_at are the tokens' iat and exp in Unix seconds.
const schema = `
CREATE TABLE IF NOT EXISTS users (
	id            INTEGER PRIMARY KEY,
	sub           TEXT NOT NULL UNIQUE,
	email         TEXT NOT NULL,
	first_name    TEXT NOT NULL,
	last_name     TEXT NOT NULL,
	created_at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS families (
	id            INTEGER PRIMARY KEY,
	user_id       INTEGER NOT NULL REFERENCES users (id),
	created_at_ms INTEGER NOT NULL,
	revoked_at_ms INTEGER,
	revoke_reason TEXT
);
CREATE TABLE IF NOT EXISTS refresh_tokens (
	jti               TEXT PRIMARY KEY,
	family_id         INTEGER NOT NULL REFERENCES families (id),
	user_id           INTEGER NOT NULL,
	issued_at         INTEGER NOT NULL,
	expires_at        INTEGER NOT NULL,
	access_jti        TEXT NOT NULL,
	access_expires_at INTEGER NOT NULL,
	spent_at_ms       INTEGER,
	successor         TEXT
) WITHOUT ROWID;
`

// store keeps users, token families and refresh tokens in SQLite. All writes go through
// one connection, so SQLite never answers "busy" to a writer; reads use a pool of their
// own on a file database. A store is safe for concurrent use.
type store struct {
	w      *sql.DB // the one writer connection, used by writer alone once open
	r      *sql.DB // readers; the same as w for an in-memory database
	writer *writer
	policy rotationPolicy
	stmts  statements

	stopCheckpoints chan struct{} // nil for an in-memory database
	checkpointsDone chan struct{}
}

// WAL upkeep: how often the WAL is copied into the database file, and how many frames it
// may hold before the writer is asked to let it start over.
const (
	checkpointEvery = 200 * time.Millisecond
	walResetFrames  = 4096
)

// openStore opens (creating if needed) the database at path, or an in-memory one for
// ":memory:", and prepares its statements.
func openStore(ctx context.Context, path string, policy rotationPolicy) (*store, error) {
	s := &store{policy: policy}
	if err := s.open(ctx, path); err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		return nil, errors.Join(err, s.close())
	}
	if err := s.stmts.prepare(ctx, s.w, s.r); err != nil {
		return nil, errors.Join(err, s.close())
	}
	s.writer = newWriter(s.w)
	if s.r != s.w {
		s.stopCheckpoints, s.checkpointsDone = make(chan struct{}), make(chan struct{})
		go s.checkpointLoop()
	}
	return s, nil
}

// open connects the writer and the readers.
func (s *store) open(ctx context.Context, path string) error {
	if path == ":memory:" {
		// Every connection to ":memory:" is a database of its own, so there is only one,
		// and it must never be closed while the server runs.
		db, err := sql.Open("sqlite", ":memory:")
		if err != nil {
			return fmt.Errorf("refserver: open database: %w", err)
		}
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		s.w, s.r = db, db
		if err := db.PingContext(ctx); err != nil {
			return fmt.Errorf("refserver: open database: %w", err)
		}
		return nil
	}

	// synchronous=NORMAL in WAL mode: a commit survives a crash of this process; only a
	// power loss may take back the last commits before a checkpoint.
	// The writer does not checkpoint after its commits; see checkpointLoop.
	w, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)"+
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_pragma=wal_autocheckpoint(0)"+
		"&_pragma=journal_size_limit(67108864)&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("refserver: open database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return fmt.Errorf("refserver: open database %s: %w", path, err)
	}

	r, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return fmt.Errorf("refserver: open database %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	s.w, s.r = w, r
	return nil
}

// migrate creates the schema in a new database and checks the version of an old one.
func (s *store) migrate(ctx context.Context) error {
	var version int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("refserver: read schema version: %w", err)
	}
	switch version {
	case schemaVersion:
		return nil
	case 0:
	default:
		return fmt.Errorf("refserver: database schema version %d, want %d", version, schemaVersion)
	}

	if _, err := s.w.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("refserver: create schema: %w", err)
	}
	_, err := s.w.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion))
	if err != nil {
		return fmt.Errorf("refserver: write schema version: %w", err)
	}
	return nil
}

// checkpointLoop copies the WAL into the database file from a reader connection, in
// PASSIVE mode, which never blocks the writer: left to the writer, every checkpoint (and
// its fsync) would stall the rotations queued behind it. Only the writer can start the WAL
// over, though, so once the WAL is long the loop asks it for a last, short checkpoint.
func (s *store) checkpointLoop() {
	defer close(s.checkpointsDone)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-s.stopCheckpoints:
			return
		case <-tick.C:
		}
		// A failed checkpoint leaves the WAL longer; the next tick tries again.
		var busy, frames, copied int
		err := s.r.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
		if err == nil && frames >= walResetFrames {
			_ = s.writer.checkpoint(context.Background())
		}
	}
}

// close stops the checkpoints and the writer, folds the WAL into the database file and
// closes the statements and the connections.
func (s *store) close() error {
	if s.stopCheckpoints != nil {
		close(s.stopCheckpoints)
		<-s.checkpointsDone
	}
	if s.writer != nil {
		s.writer.stop()
	}
	var errs []error
	if s.stopCheckpoints != nil {
		_, err := s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		errs = append(errs, err)
	}
	errs = append(errs, s.stmts.close(), s.w.Close())
	if s.r != s.w {
		errs = append(errs, s.r.Close())
	}
	return errors.Join(errs...)
}

// write runs fn in a write transaction, possibly shared with other writes, and returns
// once it is committed. fn must use the context it is given, which is ctx without its
// cancellation. fn reports the outcome of the operation through its closure; an
// error from fn is a database failure and rolls back. fn may run more than once, so it
// must set its results afresh each time.
func (s *store) write(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.writer.submit(ctx, fn)
}

// millis is t as Unix milliseconds, the unit of the *_ms columns.
func millis(t time.Time) int64 { return t.UnixMilli() }
