package scenarios

import (
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/refserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExpiryFaults(t *testing.T) {
	runFaultCases(t, []faultCase{
		{fault: "long-access", check: "expiry/access-lifetime"},
		{fault: "skewed-clock", check: "expiry/access-valid-before-exp"},
		{fault: "ignore-exp", check: "expiry/access-refused-after-exp"},
		{fault: "code-only", check: "expiry/refresh-after-expiry"},
		{fault: "long-refresh", check: "expiry/refresh-lifetime"},
	})
}

// TestAccessRefusedAfterExpWithKey proves expiry/access-refused-after-exp on refserver
// without a test clock but with its signing key in the profile. --max-wait 1s is shorter
// than every wait the check could make (the access token lives 5m unless the case says
// otherwise), so a pass or a fail shows that the key decided without waiting; a key that
// does not sign the target's tokens leads to the wait, or to a skip saying why.
func TestAccessRefusedAfterExpWithKey(t *testing.T) {
	const check = "expiry/access-refused-after-exp"
	tests := []struct {
		name    string
		cfg     refserver.Config
		faults  []string
		key     string // the profile's signing_key; empty: refserver's
		maxWait time.Duration
		want    Status
		summary string
		note    string // in the evidence
	}{
		{name: "as it is", maxWait: time.Second, want: StatusPass,
			summary: "refused with 401 1s after its exp (a copy",
			note:    "presenting copies re-signed"},
		{name: "ignore-exp", faults: []string{"ignore-exp"}, maxWait: time.Second,
			want: StatusFail, summary: "was accepted 1s after its exp (a copy"},
		{name: "wrong key", key: "not-the-target-key", maxWait: time.Second,
			want: StatusSkip, summary: "signing_key does not sign this target's tokens; " +
				"waiting 5m1s"},
		{name: "wrong key waits", cfg: refserver.Config{AccessTTL: time.Second},
			key: "not-the-target-key", maxWait: 5 * time.Second, want: StatusPass,
			summary: "refused with 401 1s after its exp",
			note:    "does not sign this target's tokens; waiting"},
		{name: "RS256", cfg: refserver.Config{Algorithm: "RS256"}, maxWait: time.Second,
			want: StatusSkip, summary: "signs its tokens with RS256, not HMAC"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tgt := newTargetWith(t, tc.cfg, tc.faults...)
			require.Empty(t, tgt.Profile.ClockURL)
			if tc.key != "" {
				tgt.Profile.SigningKey = tc.key
			}
			cfg := testConfig(tgt, check)
			cfg.MaxWait = tc.maxWait

			report, err := Run(t.Context(), cfg)
			require.NoError(t, err)

			require.Len(t, report.Results, 1)
			res := report.Results[0]
			assert.Equal(t, tc.want, res.Status, describeResult(res))
			assert.Contains(t, res.Summary, tc.summary)
			assert.Contains(t, evidenceNotes(res), tc.note)
			t.Log(res.Summary)
		})
	}
}

// evidenceNotes joins a result's notes, one a line.
func evidenceNotes(r Result) string {
	var notes []string
	for _, e := range r.Evidence {
		if e.Note != "" {
			notes = append(notes, e.Note)
		}
	}
	return strings.Join(notes, "\n")
}
