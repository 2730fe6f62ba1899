package refserver_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/refserver"
)

// raceOutcome is what N parallel refreshes of one token answered.
type raceOutcome struct {
	successes  int
	successors map[tokens]bool // distinct pairs answered
	statuses   map[int]int
}

// raceRefresh sends n refreshes of the same token at once, as Nuxt Auth does after expiry.
func (e *env) raceRefresh(t testing.TB, refresh string, n int) raceOutcome {
	t.Helper()
	out := raceOutcome{successors: map[tokens]bool{}, statuses: map[int]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-start
			resp := e.refresh(t, refresh)
			mu.Lock()
			defer mu.Unlock()
			out.statuses[resp.status]++
			if resp.status == 200 {
				out.successes++
				out.successors[tokens{access: resp.str(t, "access_token"),
					refresh: resp.str(t, "refresh_token")}] = true
			}
		})
	}
	close(start)
	wg.Wait()
	return out
}

func TestConcurrentRefresh(t *testing.T) {
	const n = 50
	tests := []struct {
		name          string
		grace         time.Duration
		wantSuccesses int
	}{
		{name: "without grace", wantSuccesses: 1},
		{name: "with grace", grace: time.Minute, wantSuccesses: n},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, refserver.Config{ReuseGrace: tc.grace})
			tok := e.login(t)

			out := e.raceRefresh(t, tok.refresh, n)

			assert.Equal(t, tc.wantSuccesses, out.successes, "statuses %v", out.statuses)
			require.Len(t, out.successors, 1)
			for next := range out.successors {
				// Without grace the losers were reuse and revoked the family, successor
				// included; with it they were duplicates and the successor lives.
				assert.Equal(t, tc.grace == 0, e.refresh(t, next.refresh).status == 401)
			}
		})
	}
}

func TestConcurrentRefreshOnFile(t *testing.T) {
	const n = 50
	e := newEnv(t, refserver.Config{DB: t.TempDir() + "/race.db"})
	tok := e.login(t)

	out := e.raceRefresh(t, tok.refresh, n)

	assert.Equal(t, 1, out.successes, "statuses %v", out.statuses)
	assert.Len(t, out.successors, 1)
}
