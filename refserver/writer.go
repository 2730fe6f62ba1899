package refserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// maxBatch bounds how many writes share one transaction.
const maxBatch = 256

// errStoreClosed is a write submitted after the store closed.
var errStoreClosed = errors.New("refserver: store closed")

// writeOp is one write waiting for the writer: fn runs inside the batch's transaction. An
// op with no fn is a checkpoint, which runs between batches.
type writeOp struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error
}

// writer owns the one writer connection and commits writes in groups: every write that
// arrives while a transaction commits joins the next one, so that one commit (one WAL
// append, one lock round) serves many rotations. Each write still runs alone in a
// transaction when its group fails, so one failing write never fails the others.
type writer struct {
	db       *sql.DB
	ops      chan writeOp
	quit     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// newWriter starts the writer goroutine on db.
func newWriter(db *sql.DB) *writer {
	w := &writer{db: db, ops: make(chan writeOp), quit: make(chan struct{}),
		done: make(chan struct{})}
	go w.loop()
	return w
}

// checkpoint copies the WAL into the database file on the writer's own connection, between
// two batches, and returns once done. Only the connection that appends to the WAL can let
// its next transaction start the WAL over.
func (w *writer) checkpoint(ctx context.Context) error {
	return w.submit(ctx, nil)
}

// submit runs fn in a write transaction and returns once it is committed or has failed.
func (w *writer) submit(ctx context.Context,
	fn func(ctx context.Context, tx *sql.Tx) error) error {
	op := writeOp{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case w.ops <- op:
	case <-w.quit:
		return errStoreClosed
	case <-ctx.Done():
		return fmt.Errorf("refserver: write: %w", ctx.Err())
	}
	return <-op.done
}

// stop ends the writer once the write in progress, if any, is done. Stopping a stopped
// writer does nothing.
func (w *writer) stop() {
	w.stopOnce.Do(func() {
		close(w.quit)
		<-w.done
	})
}

// loop collects the waiting writes into batches and commits them.
func (w *writer) loop() {
	defer close(w.done)
	batch := make([]writeOp, 0, maxBatch)
	for {
		select {
		case op := <-w.ops:
			batch = append(batch[:0], op)
		case <-w.quit:
			return
		}
	collect:
		for len(batch) < maxBatch {
			select {
			case op := <-w.ops:
				batch = append(batch, op)
			default:
				break collect
			}
		}

		writes, checkpoint := splitCheckpoint(batch)
		w.commit(writes)
		if checkpoint.done != nil {
			_, err := w.db.ExecContext(checkpoint.ctx, "PRAGMA wal_checkpoint(PASSIVE)")
			checkpoint.done <- err
		}
	}
}

// splitCheckpoint takes the checkpoint out of a batch, if there is one: at most one waits
// at a time (the store's loop waits for its own), and it runs after the writes that arrived
// with it.
func splitCheckpoint(batch []writeOp) (writes []writeOp, checkpoint writeOp) {
	writes = batch[:0]
	for _, op := range batch {
		if op.fn == nil {
			checkpoint = op
			continue
		}
		writes = append(writes, op)
	}
	return writes, checkpoint
}

// commit runs a batch in one transaction; if that fails, it runs each write on its own.
func (w *writer) commit(batch []writeOp) {
	live := batch[:0]
	for _, op := range batch {
		if err := op.ctx.Err(); err != nil {
			op.done <- fmt.Errorf("refserver: write: %w", err)
			continue
		}
		live = append(live, op)
	}
	if len(live) == 0 {
		return
	}

	if err := w.run(live); err == nil {
		for _, op := range live {
			op.done <- nil
		}
		return
	}
	for _, op := range live {
		op.done <- w.run([]writeOp{op})
	}
}

// run runs ops in one transaction and commits it.
func (w *writer) run(ops []writeOp) error {
	// The statements run without the requests' cancellation: cancelling one would
	// interrupt the connection, and with it every write in the transaction.
	tx, err := w.db.BeginTx(context.WithoutCancel(ops[0].ctx), nil)
	if err != nil {
		return fmt.Errorf("refserver: begin: %w", err)
	}
	for _, op := range ops {
		if err := op.fn(context.WithoutCancel(op.ctx), tx); err != nil {
			return errors.Join(err, tx.Rollback())
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("refserver: commit: %w", err)
	}
	return nil
}
