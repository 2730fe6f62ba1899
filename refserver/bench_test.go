package refserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// latencies collects per-operation durations from parallel benchmark goroutines.
type latencies struct {
	mu  sync.Mutex
	all []time.Duration
}

func (l *latencies) add(d []time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, d...)
}

// report prints operations per second and the 99th percentile latency.
func (l *latencies) report(b *testing.B, start time.Time, unit string) {
	b.StopTimer()
	elapsed := time.Since(start)
	if len(l.all) == 0 {
		return
	}
	slices.Sort(l.all)
	p99 := l.all[len(l.all)*99/100]
	b.ReportMetric(float64(len(l.all))/elapsed.Seconds(), unit+"/s")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(0, "ns/op") // per-op time is meaningless across parallel goroutines
}

// benchDatabase is one place the benchmarks keep state.
type benchDatabase struct {
	name string
	path string
}

// benchDatabases are memory and a WAL file.
func benchDatabases(b *testing.B) []benchDatabase {
	return []benchDatabase{
		{"memory", ":memory:"},
		{"wal", filepath.Join(b.TempDir(), "bench.db")},
	}
}

// openSessionFor records a user and a session in st and returns the session's grant.
func openSessionFor(tb testing.TB, st *store, is issuer, sub string) grant {
	tb.Helper()
	ctx := context.Background()
	now := time.Now()
	u := user{Sub: sub, Email: sub + "@example.com"}
	require.NoError(tb, st.recordUser(ctx, &u, now))
	g := is.newGrant(u.ID, now, now.Unix())
	require.NoError(tb, st.openSession(ctx, &g, now))
	return g
}

// BenchmarkRotate measures rotations through the store alone: each parallel goroutine
// rotates a chain of its own, every rotation one committed transaction.
func BenchmarkRotate(b *testing.B) {
	for _, db := range benchDatabases(b) {
		b.Run(db.name, func(b *testing.B) {
			st, err := openStore(context.Background(), db.path, rotationPolicy{})
			require.NoError(b, err)
			b.Cleanup(func() { st.close() })
			is := issuer{accessTTL: time.Minute, refreshTTL: time.Hour}
			var lat latencies
			var seq sync.Mutex
			n := 0

			b.SetParallelism(4)
			start := time.Now()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				seq.Lock()
				n++
				sub := fmt.Sprintf("bench-%d", n)
				seq.Unlock()
				cur := openSessionFor(b, st, is, sub)
				var mine []time.Duration
				for pb.Next() {
					t0 := time.Now()
					next, err := st.rotate(context.Background(), cur.JTI,
						is.newGrant(cur.UserID, t0, cur.IssuedAt), t0)
					if err != nil {
						b.Error(err)
						return
					}
					mine = append(mine, time.Since(t0))
					cur = next
				}
				lat.add(mine)
			})
			lat.report(b, start, "rotations")
		})
	}
}

// BenchmarkRefreshHTTP measures whole refreshes over loopback HTTP: parse, verify, rotate,
// sign and answer, each parallel goroutine refreshing a session of its own.
func BenchmarkRefreshHTTP(b *testing.B) {
	for _, db := range benchDatabases(b) {
		b.Run(db.name, func(b *testing.B) {
			s, err := New(context.Background(), Config{GoogleURL: "http://127.0.0.1:1",
				DB: db.path})
			require.NoError(b, err)
			require.NoError(b, s.Start("127.0.0.1:0"))
			b.Cleanup(func() { s.Close() })
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			b.Cleanup(client.CloseIdleConnections)
			var lat latencies
			var seq sync.Mutex
			n := 0

			b.SetParallelism(8)
			start := time.Now()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				seq.Lock()
				n++
				sub := fmt.Sprintf("bench-%d", n)
				seq.Unlock()
				p, err := s.keys.signPair(openSessionFor(b, s.store, s.issuer, sub))
				require.NoError(b, err)
				refresh := p.refresh
				var mine []time.Duration
				for pb.Next() {
					t0 := time.Now()
					next, err := postRefresh(client, s.URL(), refresh)
					if err != nil {
						b.Error(err)
						return
					}
					mine = append(mine, time.Since(t0))
					refresh = next
				}
				lat.add(mine)
			})
			lat.report(b, start, "rotations")
		})
	}
}

// postRefresh refreshes on the login endpoint the way Nuxt Auth does and returns the new
// refresh token.
func postRefresh(client *http.Client, base, refresh string) (string, error) {
	body := "refresh_token=" + url.QueryEscape(refresh) + "&grant_type=refresh_token"
	resp, err := client.Post(base+pathLogin, encForm, strings.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out loginResponse
	if err := decodeJSONBody(resp, &out); err != nil {
		return "", err
	}
	return out.RefreshToken, nil
}

// decodeJSONBody decodes a 200 JSON answer.
func decodeJSONBody(resp *http.Response, dst any) error {
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(dst)
}
