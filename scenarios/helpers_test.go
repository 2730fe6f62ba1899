package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Settings of the refserver the tests check; the profile mirrors them, as the embedded
// default of `authprobe check` does.
const (
	testSigningKey = "authprobe-test-signing-key-0123456789abcdef"
	testReuseGrace = 10 * time.Second
)

// testTarget is a refserver signing in at its own mockgoogle, and the profile that
// checks it. Each target has its own pair of servers, so tests that move clocks or arm
// faults never meet.
type testTarget struct {
	Google  *mockgoogle.Server
	Ref     *refserver.Server
	Profile *Profile
}

// newTarget starts mockgoogle and refserver (in-memory database, test clock, the test
// signing key and reuse grace) with the named refserver faults switched on. Both close
// when the test ends.
func newTarget(t testing.TB, faults ...string) *testTarget {
	t.Helper()
	return newTargetWith(t, refserver.Config{TestClock: true}, faults...)
}

// newTargetWith is newTarget with refserver settings of the test's own; the profile
// follows cfg's lifetimes and grace when they are set, and is the cookies profile when
// cfg.Cookies is.
func newTargetWith(t testing.TB, cfg refserver.Config, faults ...string) *testTarget {
	t.Helper()
	mg := mockgoogle.NewServer(t, mockgoogle.Config{})
	for _, name := range faults {
		f, err := refserver.ParseFault(name)
		require.NoError(t, err)
		cfg.Faults = append(cfg.Faults, f)
	}
	cfg.GoogleURL = mg.URL()
	cfg.DB = ":memory:"
	if cfg.SigningKey == "" && takesSigningKey(cfg) {
		cfg.SigningKey = testSigningKey
	}
	if cfg.ReuseGrace == 0 {
		cfg.ReuseGrace = testReuseGrace
	}
	rs := refserver.NewServer(t, cfg)

	p := nuxtDRFProfile()
	if cfg.Cookies {
		p = cookiesProfile()
	}
	p.BaseURL = rs.URL()
	p.SigningKey = cmp.Or(cfg.SigningKey, testSigningKey)
	if cfg.TestClock {
		p.ClockURL = rs.URL() + "/_refserver/clock"
	}
	p.Expect.ReuseGrace = Duration(cfg.ReuseGrace)
	p.Expect.PKCE = true
	if cfg.AccessTTL != 0 {
		p.Expect.AccessTTL = Duration(cfg.AccessTTL)
	}
	if cfg.RefreshTTL != 0 {
		p.Expect.RefreshTTL = Duration(cfg.RefreshTTL)
	}
	return &testTarget{Google: mg, Ref: rs, Profile: p}
}

// testConfig is the run configuration the tests use against tgt.
func testConfig(tgt *testTarget, ids ...string) Config {
	return Config{
		Profile:   tgt.Profile,
		GoogleURL: tgt.Google.URL(),
		Checks:    checksByID(ids...),
		Timeout:   5 * time.Second,
	}
}

// runChecks runs the named checks (all when none is named) against tgt and returns
// their results by ID.
func runChecks(t testing.TB, tgt *testTarget, ids ...string) map[string]Result {
	t.Helper()
	report, err := Run(t.Context(), testConfig(tgt, ids...))
	require.NoError(t, err)
	out := make(map[string]Result, len(report.Results))
	for _, r := range report.Results {
		out[r.ID] = r
	}
	return out
}

// checksByID returns the registered checks with these IDs, or nil (all) when none is
// named. It panics on an unknown ID: a typo in a test.
func checksByID(ids ...string) []Check {
	if len(ids) == 0 {
		return nil
	}
	all := Checks()
	var out []Check
	for _, id := range ids {
		found := false
		for _, c := range all {
			if c.ID == id {
				out, found = append(out, c), true
			}
		}
		if !found {
			panic("scenarios test: unknown check " + id)
		}
	}
	return out
}

// faultCase says that refserver with fault makes check fail (warn for a should-check).
type faultCase struct {
	fault string
	check string
}

// runFaultCases runs each case on a fresh refserver with its fault, in parallel, and
// asserts the verdict; it runs the case again through refserver's GraphQL API with the
// graphql profile, unless the fault or the check is REST-only.
func runFaultCases(t *testing.T, cases []faultCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.fault+"/"+tc.check, func(t *testing.T) {
			t.Parallel()
			assertFaultCaught(t, newTarget(t, tc.fault), tc.check)
		})
		if graphqlApplies(tc) {
			t.Run("graphql/"+tc.fault+"/"+tc.check, func(t *testing.T) {
				t.Parallel()
				assertFaultCaught(t, newGraphQLTarget(t, tc.fault), tc.check)
			})
		}
	}
}

// assertFaultCaught runs check on tgt and asserts that it fails, or warns for a
// should-check.
func assertFaultCaught(t *testing.T, tgt *testTarget, check string) {
	t.Helper()
	res := runChecks(t, tgt, check)[check]

	want := StatusFail
	if res.Level == Should {
		want = StatusWarn
	}
	assert.Equal(t, want, res.Status, describeResult(res))
	t.Log(res.Summary)
}

// describeResult renders a result with its evidence for an assertion message.
func describeResult(r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s", r.Status, r.ID, r.Summary)
	for _, e := range r.Evidence {
		fmt.Fprintf(&b, "\n    %s", e)
	}
	return b.String()
}

// takesSigningKey reports whether refserver built with cfg signs with a key it is given:
// RS256 and EdDSA generate their own, the key-confusion fault picks RS256, and the
// weak-secret fault brings its own key.
func takesSigningKey(cfg refserver.Config) bool {
	if cfg.Algorithm != "" && cfg.Algorithm != "HS256" {
		return false
	}
	return !slices.Contains(cfg.Faults, refserver.FaultKeyConfusion) &&
		!slices.Contains(cfg.Faults, refserver.FaultWeakSecret)
}
