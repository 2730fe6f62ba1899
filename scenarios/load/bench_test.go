//go:build unix

package load_test

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/authprobe/authprobe/refserver"
	"github.com/authprobe/authprobe/scenarios"
	"github.com/authprobe/authprobe/scenarios/load"
)

// benchDuration is the length of each attack in the benchmarks, and benchWorkers the
// closed model's workers.
const (
	benchDuration = 3 * time.Second
	benchWorkers  = 16
)

// BenchmarkRefserverRotations measures how many refresh rotations per second refserver
// holds on this machine, with its database in memory and on a WAL file, and the p99
// latency. The generator runs in the same process and takes its share of the CPU.
func BenchmarkRefserverRotations(b *testing.B) {
	for _, db := range []string{"memory", "wal"} {
		b.Run(db, func(b *testing.B) {
			cfg := refserver.Config{}
			if db == "wal" {
				cfg.DB = filepath.Join(b.TempDir(), "refserver.db")
			}
			tg := newTarget(b, cfg)
			var reports []*load.Report
			for b.Loop() {
				report, err := load.Run(b.Context(), load.Config{
					Profile: tg.profile, GoogleURL: sharedGoogle.URL(), Sessions: 256,
					Workers: benchWorkers, Duration: benchDuration,
				})
				require.NoError(b, err)
				require.Zero(b, report.Tally.Findings.Total())
				reports = append(reports, report)
			}
			last := reports[len(reports)-1].Metrics
			b.ReportMetric(last.Throughput, "rotations/s")
			b.ReportMetric(millis(last.Latencies.P50), "p50-ms")
			b.ReportMetric(millis(last.Latencies.P99), "p99-ms")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkGeneratorCPU measures the CPU the generator spends per request, against a stub
// endpoint in another process that answers a fixed token pair at once, next to plain
// vegeta's against the same stub with the same workers. The goal is a ratio of 1.3 or
// less.
func BenchmarkGeneratorCPU(b *testing.B) {
	url := startStub(b)
	p, ok := scenarios.BuiltinProfile("nuxt-drf")
	require.True(b, ok)
	p.BaseURL = url
	pool := load.NewPool(benchWorkers * 4)
	for range benchWorkers * 4 {
		require.NoError(b, pool.Add(stubRefresh))
	}

	var ours, plain cpuPerRequest
	for b.Loop() {
		ours.measure(b, func() uint64 {
			report, err := load.Run(b.Context(), load.Config{Profile: p, Pool: pool,
				Workers: benchWorkers, Duration: benchDuration})
			require.NoError(b, err)
			require.Zero(b, report.Tally.Findings.Total())
			return report.Metrics.Requests
		})
		plain.measure(b, func() uint64 { return plainVegeta(b, p) })
	}
	b.ReportMetric(ours.nsPerRequest(), "cpu-ns/req")
	b.ReportMetric(plain.nsPerRequest(), "vegeta-cpu-ns/req")
	b.ReportMetric(ours.nsPerRequest()/plain.nsPerRequest(), "ratio")
	b.ReportMetric(ours.perSecond(), "req/s")
	b.ReportMetric(plain.perSecond(), "vegeta-req/s")
	b.ReportMetric(0, "ns/op")
}

// plainVegeta attacks the stub's refresh path the way vegeta alone would: one static
// target with a body of the same size, the same workers, the results added to metrics.
func plainVegeta(b *testing.B, p *scenarios.Profile) uint64 {
	body := "refresh_token=" + stubRefresh + "&scopes=openid%20profile%20email" +
		"&client_id=authprobe-client&grant_type=refresh_token"
	tr := vegeta.NewStaticTargeter(vegeta.Target{
		Method: "POST", URL: p.BaseURL + p.Refresh.Path, Body: []byte(body),
		Header: map[string][]string{"Accept": {"application/json, text/plain, */*"},
			"Content-Type": {"application/x-www-form-urlencoded"}},
	})
	atk := vegeta.NewAttacker(vegeta.Workers(benchWorkers), vegeta.MaxWorkers(benchWorkers))
	var m vegeta.Metrics
	for r := range atk.Attack(tr, vegeta.ConstantPacer{}, benchDuration, "plain") {
		require.Empty(b, r.Error)
		m.Add(r)
	}
	m.Close()
	return m.Requests
}

// cpuPerRequest adds up the process's CPU time and requests over several attacks.
type cpuPerRequest struct {
	cpu, wall time.Duration
	requests  uint64
}

func (c *cpuPerRequest) measure(b *testing.B, attack func() uint64) {
	runtime.GC()
	before, started := cpuTime(b), time.Now()
	c.requests += attack()
	c.cpu += cpuTime(b) - before
	c.wall += time.Since(started)
}

func (c *cpuPerRequest) nsPerRequest() float64 {
	return float64(c.cpu.Nanoseconds()) / float64(max(c.requests, 1))
}

func (c *cpuPerRequest) perSecond() float64 { return float64(c.requests) / c.wall.Seconds() }

// cpuTime returns the user and system CPU time the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPoolMemory measures the heap that 100,000 sessions take in a pool, with
// refresh tokens of refserver's size, each distinct. The goal is 150 MB or less.
func BenchmarkPoolMemory(b *testing.B) {
	const sessions = 100_000
	var heap uint64
	for b.Loop() {
		before := heapInUse()
		pool := load.NewPool(sessions)
		for i := range sessions {
			token := fmt.Sprintf("%s%08d", stubRefresh[:len(stubRefresh)-8], i)
			require.NoError(b, pool.Add(strings.Clone(token)))
		}
		heap = heapInUse() - before
		runtime.KeepAlive(pool)
	}
	b.ReportMetric(float64(heap)/(1<<20), "MB/100k-sessions")
	b.ReportMetric(float64(heap)/sessions, "B/session")
	b.ReportMetric(0, "ns/op")
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
