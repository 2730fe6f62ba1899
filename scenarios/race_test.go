package scenarios

import (
	"testing"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
	"github.com/stretchr/testify/assert"
)

func TestRaceFaults(t *testing.T) {
	runFaultCases(t, []faultCase{
		{fault: "racy-rotation", check: "race/single-family"},
		{fault: "code-replay", check: "race/code-exchange"},
	})
}

// TestRaceWithoutGrace checks the race suite on a refserver that refuses every repeat of
// a spent refresh token: one refresh of a burst wins, which is a single family, and the
// others are refused, which logs a Nuxt Auth client out.
func TestRaceWithoutGrace(t *testing.T) {
	tests := []struct {
		check string
		want  Status
	}{
		{"race/single-family", StatusPass},
		{"race/no-logout", StatusWarn},
		{"race/code-exchange", StatusPass},
	}
	for _, tc := range tests {
		t.Run(tc.check, func(t *testing.T) {
			t.Parallel()
			tgt := newTargetWithoutGrace(t)

			res := runChecks(t, tgt, tc.check)[tc.check]

			assert.Equal(t, tc.want, res.Status, describeResult(res))
			t.Log(res.Summary)
		})
	}
}

// newTargetWithoutGrace is newTarget with no reuse grace window, which newTargetWith
// cannot start: it gives a zero grace the test default.
func newTargetWithoutGrace(t testing.TB) *testTarget {
	t.Helper()
	mg := mockgoogle.NewServer(t, mockgoogle.Config{})
	rs := refserver.NewServer(t, refserver.Config{
		GoogleURL: mg.URL(), DB: ":memory:", SigningKey: testSigningKey, TestClock: true,
	})
	p := nuxtDRFProfile()
	p.BaseURL = rs.URL()
	p.SigningKey = testSigningKey
	p.ClockURL = rs.URL() + "/_refserver/clock"
	p.Expect.PKCE = true
	return &testTarget{Google: mg, Ref: rs, Profile: p}
}

// targetCase says which verdict a check reaches on refserver built with cfg (and a test
// clock) and the named faults: the fault cases of checks that need refserver in another
// shape than newTarget's, and their pass cases on that shape.
type targetCase struct {
	name   string
	cfg    refserver.Config
	faults []string
	check  string
	want   Status
}

// runTargetCases runs each case on a fresh refserver, in parallel, and asserts the
// verdict.
func runTargetCases(t *testing.T, cases []targetCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name+"/"+tc.check, func(t *testing.T) {
			t.Parallel()
			cfg := tc.cfg
			cfg.TestClock = true
			tgt := newTargetWith(t, cfg, tc.faults...)

			res := runChecks(t, tgt, tc.check)[tc.check]

			assert.Equal(t, tc.want, res.Status, describeResult(res))
			t.Log(res.Summary)
		})
	}
}
