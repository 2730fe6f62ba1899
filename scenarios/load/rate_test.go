package load

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    vegeta.Rate
		wantErr string
	}{
		{in: "500/s", want: vegeta.Rate{Freq: 500, Per: time.Second}},
		{in: "500/1s", want: vegeta.Rate{Freq: 500, Per: time.Second}},
		{in: "30/100ms", want: vegeta.Rate{Freq: 30, Per: 100 * time.Millisecond}},
		{in: "1200/m", want: vegeta.Rate{Freq: 1200, Per: time.Minute}},
		{in: "500", want: vegeta.Rate{Freq: 500, Per: time.Second}},
		{in: "0", want: vegeta.Rate{}},
		{in: "fast", wantErr: "want a count of requests per period"},
		{in: "-5/s", wantErr: "want a count"},
		{in: "5/0s", wantErr: "not a positive duration"},
		{in: "5/soon", wantErr: "not a positive duration"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseRate(tc.in)

			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestRampPacer plays the pacer's schedule out without a clock: it climbs from 1/s to
// 100/s over 10s (a slope of 9.9/s²), so that it sends about 129 requests in 5s, 505 by
// the end of the climb and 100 a second after.
func TestRampPacer(t *testing.T) {
	p := newRampPacer(vegeta.Rate{Freq: 100, Per: time.Second}, 10*time.Second)
	hitsBy := func(end time.Duration) uint64 {
		var elapsed time.Duration
		var hits uint64
		for {
			wait, stop := p.Pace(elapsed, hits)
			require.False(t, stop)
			if elapsed+wait > end {
				return hits
			}
			elapsed += wait
			hits++
		}
	}

	assert.InDelta(t, 5+9.9*25/2, float64(hitsBy(5*time.Second)), 3)
	assert.InDelta(t, 505, float64(hitsBy(10*time.Second)), 5)
	assert.InDelta(t, 1505, float64(hitsBy(20*time.Second)), 5)
	assert.InDelta(t, 100, p.Rate(15*time.Second), 0.001)
	assert.InDelta(t, 50.5, p.Rate(5*time.Second), 0.001)
}
