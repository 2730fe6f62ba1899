package scenarios

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSuitesPassOnRefserver runs every registered check once against a fault-free
// refserver: every must-check passes (or skips as not applicable, see
// [notApplicableOnRefserver]), and a should-check passes or skips.
func TestSuitesPassOnRefserver(t *testing.T) {
	t.Parallel()
	tgt := newTarget(t)

	results := runChecks(t, tgt)

	for _, c := range Checks() {
		res, ok := results[c.ID]
		if !assert.True(t, ok, "no result for %s", c.ID) {
			continue
		}
		assert.False(t, res.Started.IsZero(), "%s has no start time", c.ID)
		switch c.Level {
		case Must:
			assertMustPassed(t, tgt.Profile, res)
		case Should:
			assert.Contains(t, []Status{StatusPass, StatusSkip}, res.Status,
				describeResult(res))
		}
	}
}

// notApplicableOnRefserver lists, by profile name and check ID, the must-checks that do
// not apply to refserver in the shape the tests start it with that profile, and a part of
// the reason their skip must give: refserver signs with HS256 unless told otherwise, and
// sets cookies only in cookie mode. Any other skip of a must-check fails the tests.
var notApplicableOnRefserver = map[string]map[string]string{
	"nuxt-drf": {
		"cookies/httponly":       "expect.cookies: false",
		"cookies/secure":         "expect.cookies: false",
		"cookies/rotated-cookie": "expect.cookies: false",
		"tokens/key-confusion":   "signed with HS256, a shared secret",
	},
	"cookies": {
		"tokens/key-confusion": "signed with HS256, a shared secret",
	},
	"graphql": {
		"tokens/key-confusion": "signed with HS256, a shared secret",
	},
}

// assertMustPassed asserts that the result of a must-check on refserver checked with p
// is a pass, or the skip that notApplicableOnRefserver allows it.
func assertMustPassed(t *testing.T, p *Profile, res Result) {
	t.Helper()
	reason, ok := notApplicableOnRefserver[p.Name][res.ID]
	if !ok {
		assert.Equal(t, StatusPass, res.Status, describeResult(res))
		return
	}
	assert.Equal(t, StatusSkip, res.Status, describeResult(res))
	assert.Contains(t, res.Summary, reason, describeResult(res))
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunWaitsRealTime(t *testing.T) {
	t.Parallel()
	tgt := newTargetWith(t, refserver.Config{AccessTTL: time.Second})
	cfg := testConfig(tgt, "expiry/access-refused-after-exp", "expiry/refresh-lifetime",
		"expiry/access-valid-before-exp")
	cfg.MaxWait = 5 * time.Second
	progress := &syncBuffer{}
	cfg.Progress = progress

	report, err := Run(t.Context(), cfg)
	require.NoError(t, err)

	byID := map[string]Result{}
	for _, r := range report.Results {
		byID[r.ID] = r
	}
	after := byID["expiry/access-refused-after-exp"]
	assert.Equal(t, StatusPass, after.Status, describeResult(after))
	lifetime := byID["expiry/refresh-lifetime"]
	assert.Equal(t, StatusPass, lifetime.Status, describeResult(lifetime))
	assert.Contains(t, lifetime.Summary, "refusal after expiry not tried: waiting 720h0m1s")
	assert.Contains(t, progress.String(), "waiting real time for expiry")
}

func TestRunSkipsPastMaxWait(t *testing.T) {
	t.Parallel()
	tgt := newTargetWith(t, refserver.Config{})
	tgt.Profile.SigningKey = "" // with the key, access-refused-after-exp needs no wait
	cfg := testConfig(tgt, "expiry/access-refused-after-exp", "reuse/rotated-refused")
	cfg.MaxWait = time.Second

	report, err := Run(t.Context(), cfg)
	require.NoError(t, err)

	for _, r := range report.Results {
		assert.Equal(t, StatusSkip, r.Status, describeResult(r))
		assert.Contains(t, r.Summary, "would pass --max-wait 1s")
	}
}

func TestRunTargetDown(t *testing.T) {
	t.Parallel()
	mg := mockgoogle.NewServer(t, mockgoogle.Config{})
	hang := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(hang.Close)
	reset := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(reset.Close)

	tests := []struct {
		name, url, want string
	}{
		{"refused", closedURL(t), "connection refused"},
		{"hangs", hang.URL, "no answer in time"},
		{"resets", reset.URL, "EOF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := nuxtDRFProfile()
			p.BaseURL = tc.url
			report, err := Run(t.Context(), Config{Profile: p, GoogleURL: mg.URL(),
				Timeout: 300 * time.Millisecond})
			require.NoError(t, err)

			require.Len(t, report.Results, len(Checks()))
			for _, r := range report.Results {
				assert.Equal(t, StatusError, r.Status, describeResult(r))
				assert.Contains(t, r.Summary, "does not answer")
				assert.Contains(t, r.Summary, tc.want)
				assert.False(t, r.Started.Before(report.Started), "%s starts with the run", r.ID)
			}
			assert.True(t, report.Failed())
		})
	}
}

// closedURL returns the URL of a loopback port that nothing listens on.
func closedURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr
}

func TestRunGarbageTarget(t *testing.T) {
	t.Parallel()
	mg := mockgoogle.NewServer(t, mockgoogle.Config{})
	answers := []http.HandlerFunc{
		func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, "\x00\xffgarbage")
		},
		func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, "<html>Traceback</html>")
		},
		func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token": 42, "refresh_token": null}`)
		},
	}
	for i, h := range answers {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			p := nuxtDRFProfile()
			p.BaseURL = srv.URL
			p.ClockURL = srv.URL + "/_refserver/clock"

			report, err := Run(t.Context(), Config{Profile: p, GoogleURL: mg.URL(),
				Timeout: time.Second})
			require.NoError(t, err)

			assert.True(t, report.Failed())
			for _, r := range report.Results {
				assert.NotEqual(t, StatusPass, r.Status, describeResult(r))
				assert.NotEmpty(t, r.Summary)
			}
		})
	}
}

func TestRunRefusesBadConfig(t *testing.T) {
	p := nuxtDRFProfile()
	p.Style = "django"
	_, err := Run(t.Context(), Config{Profile: p, GoogleURL: "http://127.0.0.1:1"})
	var cerr *ConfigError
	require.ErrorAs(t, err, &cerr)
	assert.Equal(t, "style", cerr.Field)

	_, err = Run(t.Context(), Config{Profile: nuxtDRFProfile()})
	require.Error(t, err)
}

// TestProfilesOnRefserver checks refserver in its other shapes with the profiles that
// describe them: every must-check passes whichever way the backend is spoken to, or
// skips as not applicable (see [notApplicableOnRefserver]).
func TestProfilesOnRefserver(t *testing.T) {
	tests := []struct {
		name  string
		cfg   refserver.Config
		shape func(p *Profile)
	}{
		{"cookies", refserver.Config{Cookies: true}, func(p *Profile) {
			assert.Equal(t, "cookies", p.Name)
		}},
		{"rfc6749 errors", refserver.Config{ErrorStyle: "rfc6749"}, func(p *Profile) {
			p.Style = StyleRFC6749
		}},
		{"simplejwt refresh endpoint", refserver.Config{}, func(p *Profile) {
			p.Login.Encoding = EncodingJSON
			p.Refresh = Endpoint{Path: "/auth/token/refresh/", Encoding: EncodingJSON,
				Field: "refresh"}
			p.Tokens = TokenFields{Access: "access", Refresh: "refresh"}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.cfg.TestClock = true
			tgt := newTargetWith(t, tc.cfg)
			tc.shape(tgt.Profile)

			results := runChecks(t, tgt)

			for _, c := range Checks() {
				res := results[c.ID]
				if c.Level == Must {
					assertMustPassed(t, tgt.Profile, res)
				}
			}
		})
	}
}
