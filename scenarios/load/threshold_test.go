package load_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/authprobe/authprobe/scenarios/load"
)

// sampleReport is a report with known figures: p99 40ms, success 99.5%, 2 forks.
func sampleReport() *load.Report {
	return &load.Report{
		Metrics: vegeta.Metrics{
			Requests: 1000, Throughput: 480.5, Success: 0.995,
			Latencies: vegeta.LatencyMetrics{P50: 5 * time.Millisecond,
				P99: 40 * time.Millisecond},
			StatusCodes: map[string]int{"200": 995, "500": 5},
		},
		Tally: load.Tally{Findings: load.Findings{Forks: 2}},
	}
}

func TestThresholds(t *testing.T) {
	tests := []struct {
		expr    string
		holds   bool
		wantGot string
	}{
		{expr: "p99<50ms", holds: true, wantGot: "40ms"},
		{expr: "p99 < 30ms", holds: false, wantGot: "40ms"},
		{expr: "p50<=5ms", holds: true},
		{expr: "success>=99%", holds: true, wantGot: "0.9950"},
		{expr: "success>=0.999", holds: false},
		{expr: "throughput>400", holds: true, wantGot: "480.5"},
		{expr: "requests==1000", holds: true},
		{expr: "findings==0", holds: false, wantGot: "2"},
		{expr: "forks!=0", holds: true},
		{expr: "reuse_accepted==0", holds: true},
		{expr: "lost_sessions>0", holds: false},
		{expr: "unexpected<=0", holds: true},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			th, err := load.ParseThreshold(tc.expr)
			require.NoError(t, err)

			holds, got := th.Check(sampleReport())

			assert.Equal(t, tc.holds, holds)
			if tc.wantGot != "" {
				assert.Equal(t, tc.wantGot, got)
			}
		})
	}
}

func TestThresholdErrors(t *testing.T) {
	tests := []struct {
		expr    string
		wantErr string
	}{
		{expr: "p99", wantErr: "want METRIC OP VALUE"},
		{expr: "<50ms", wantErr: "want METRIC OP VALUE"},
		{expr: "p42<50ms", wantErr: `unknown metric "p42" (known: findings, forks,`},
		{expr: "p99=<50ms", wantErr: "unknown comparison"},
		{expr: "p99<50", wantErr: "not a duration such as 50ms"},
		{expr: "p99<<50ms", wantErr: "not a duration"},
		{expr: "success>lots%", wantErr: "not a percentage"},
		{expr: "findings==none", wantErr: "not a number"},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			_, err := load.ParseThreshold(tc.expr)

			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}

func TestBroken(t *testing.T) {
	var ths []load.Threshold
	for _, s := range []string{"p99<50ms", "findings==0", "success>=99.9%"} {
		th, err := load.ParseThreshold(s)
		require.NoError(t, err)
		ths = append(ths, th)
	}

	broken := load.Broken(sampleReport(), ths)

	assert.Equal(t, []string{"findings==0: findings is 2",
		"success>=99.9%: success is 0.9950"}, broken)
}
