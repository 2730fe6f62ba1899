package refserver

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testIssuer makes grants for store tests.
var testIssuer = issuer{accessTTL: time.Minute, refreshTTL: time.Hour}

// newTestStore opens a store on a WAL file in a temporary directory.
func newTestStore(t *testing.T, policy rotationPolicy) *store {
	t.Helper()
	st, err := openStore(t.Context(), filepath.Join(t.TempDir(), "store.db"), policy)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.close()) })
	return st
}

func TestStoreRotateOnceUnderConcurrency(t *testing.T) {
	tests := []struct {
		name      string
		policy    rotationPolicy
		wantWins  int
		wantPairs int
	}{
		{name: "conditional update", wantWins: 1, wantPairs: 1},
		{name: "grace", policy: rotationPolicy{grace: time.Minute}, wantWins: 50, wantPairs: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newTestStore(t, tc.policy)
			first := openSessionFor(t, st, testIssuer, "sub-1")

			var mu sync.Mutex
			var wg sync.WaitGroup
			wins, pairs := 0, map[string]bool{}
			for range 50 {
				wg.Go(func() {
					now := time.Now()
					g, err := st.rotate(context.Background(), first.JTI,
						testIssuer.newGrant(first.UserID, now, first.IssuedAt), now)
					mu.Lock()
					defer mu.Unlock()
					if err == nil {
						wins++
						pairs[g.JTI] = true
						return
					}
					assert.True(t, errors.Is(err, errReused) || errors.Is(err, errRevoked), err)
				})
			}
			wg.Wait()

			assert.Equal(t, tc.wantWins, wins)
			assert.Len(t, pairs, tc.wantPairs)
		})
	}
}

func TestStoreRacyPolicyForks(t *testing.T) {
	st := newTestStore(t, rotationPolicy{racy: true})
	first := openSessionFor(t, st, testIssuer, "sub-1")

	var mu sync.Mutex
	var wg sync.WaitGroup
	wins := 0
	start := make(chan struct{})
	for range 10 {
		wg.Go(func() {
			<-start
			now := time.Now()
			_, err := st.rotate(context.Background(), first.JTI,
				testIssuer.newGrant(first.UserID, now, first.IssuedAt), now)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				wins++
			}
		})
	}
	close(start)
	wg.Wait()

	assert.Greater(t, wins, 1)
}

func TestStoreRevokeAndCheck(t *testing.T) {
	st := newTestStore(t, rotationPolicy{})
	g := openSessionFor(t, st, testIssuer, "sub-1")
	ctx := t.Context()

	_, err := st.check(ctx, g.JTI)
	require.NoError(t, err)
	require.NoError(t, st.revoke(ctx, g.JTI, "logout", time.Now()))
	require.NoError(t, st.revoke(ctx, g.JTI, "logout", time.Now()))

	_, err = st.check(ctx, g.JTI)
	require.ErrorIs(t, err, errRevoked)
	require.ErrorIs(t, st.revoke(ctx, "unknown", "logout", time.Now()), errUnknownToken)
	_, err = st.readUser(ctx, g.UserID+1)
	require.ErrorIs(t, err, errUserNotFound)
}

func TestWriterFailureIsolated(t *testing.T) {
	st := newTestStore(t, rotationPolicy{})
	w := &writer{db: st.w} // not started: commit runs here, in the test's goroutine
	ctx := t.Context()
	insert := func(sub string) func(context.Context, *sql.Tx) error {
		return func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO users (sub, email, first_name, "+
				"last_name, created_at_ms) VALUES (?, '', '', '', 0)", sub)
			return err
		}
	}
	boom := errors.New("boom")
	fail := func(context.Context, *sql.Tx) error { return boom }
	ops := []writeOp{
		{ctx: ctx, fn: insert("a"), done: make(chan error, 1)},
		{ctx: ctx, fn: fail, done: make(chan error, 1)},
		{ctx: ctx, fn: insert("b"), done: make(chan error, 1)},
	}
	st.writer.stop() // the store's own writer would compete for the one connection

	w.commit(ops)

	assert.NoError(t, <-ops[0].done)
	assert.ErrorIs(t, <-ops[1].done, boom)
	assert.NoError(t, <-ops[2].done)
	var n int
	require.NoError(t, st.r.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n))
	assert.Equal(t, 2, n)
}

// walFrames is how many frames the WAL holds.
func walFrames(t *testing.T, st *store) int {
	t.Helper()
	var busy, frames, copied int
	err := st.r.QueryRowContext(t.Context(), "PRAGMA wal_checkpoint(PASSIVE)").
		Scan(&busy, &frames, &copied)
	require.NoError(t, err)
	return frames
}

func TestWriterCheckpointStartsWALOver(t *testing.T) {
	st := newTestStore(t, rotationPolicy{})
	cur := openSessionFor(t, st, testIssuer, "sub-1")
	rotate := func() {
		now := time.Now()
		next, err := st.rotate(t.Context(), cur.JTI,
			testIssuer.newGrant(cur.UserID, now, cur.IssuedAt), now)
		require.NoError(t, err)
		cur = next
	}
	for range 200 {
		rotate()
	}
	before := walFrames(t, st)

	require.NoError(t, st.writer.checkpoint(t.Context()))
	rotate()

	assert.GreaterOrEqual(t, before, 200)
	assert.Less(t, walFrames(t, st), 20)
}
