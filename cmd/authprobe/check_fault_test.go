package main

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/refserver"
)

// faultCatchers is the fault table of docs/internals.md: the check that catches each of
// refserver's faults.
var faultCatchers = map[string]string{
	"code-only":        "expiry/refresh-after-expiry",
	"no-rotate":        "rotation/new-refresh-token",
	"no-blacklist":     "reuse/rotated-refused",
	"racy-rotation":    "race/single-family",
	"ignore-exp":       "expiry/access-refused-after-exp",
	"long-access":      "expiry/access-lifetime",
	"alg-none":         "tokens/alg-none",
	"no-type-check":    "rotation/access-not-refresh",
	"code-replay":      "exchange/code-single-use",
	"drop-refresh":     "rotation/response-keys",
	"insecure-cookies": "cookies/secure",
	"simplejwt-keys":   "exchange/code-accepted",
	"crash-on-garbage": "errors/malformed-input",
	"weak-secret":      "tokens/weak-secret",
	"no-store-missing": "exchange/no-store",
	"no-verify":        "tokens/signature-stripped",
	"key-confusion":    "tokens/key-confusion",
	"dup-jti":          "tokens/unique-jti",
	"logout-noop":      "reuse/logout-revokes",
	"no-family-revoke": "reuse/family-revoked",
	"anonymous-user":   "session/user-without-token",
	"google-error-500": "exchange/unknown-code",
	"json-only":        "exchange/form-and-json",
	"drop-verifier":    "exchange/pkce-forwarded",
	"skewed-clock":     "expiry/access-valid-before-exp",
	"long-refresh":     "expiry/refresh-lifetime",
	"unsaved-rotation": "rotation/new-pair-works",
	"stale-cookie":     "cookies/rotated-cookie",
}

// TestCheckCatchesEveryFault runs each of refserver's faults through the embedded
// default, with only the check that catches it, and asserts that the check fails (or
// warns, for a should-check).
func TestCheckCatchesEveryFault(t *testing.T) {
	t.Parallel()
	for _, fault := range refserver.FaultNames() {
		t.Run(fault, func(t *testing.T) {
			t.Parallel()
			check, ok := faultCatchers[fault]
			require.True(t, ok, "no check named for fault %s: add it to faultCatchers and "+
				"the fault table of docs/internals.md", fault)

			_, out, errOut := runArgs(t, "check", "--fault", fault, "--format", "json",
				"--run", "^"+regexp.QuoteMeta(check)+"$")

			var report struct {
				Profile string `json:"profile"`
				Results []struct {
					ID, Level, Status, Summary string
				} `json:"results"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &report), out+errOut)
			require.Len(t, report.Results, 1, out)
			res := report.Results[0]
			want := map[string]string{"must": "fail", "should": "warn"}[res.Level]
			assert.Equal(t, want, res.Status, "%s %s: %s", res.Status, res.ID, res.Summary)
		})
	}
}

func TestCheckCookieFaultsUseCookieMode(t *testing.T) {
	t.Parallel()
	code, out, errOut := runArgs(t, "check", "--fault", "insecure-cookies", "--suite",
		"cookies")

	assert.Equal(t, exitFailed, code, out+errOut)
	assert.Contains(t, out, "(profile cookies)")
	assert.Contains(t, out, "FAIL   cookies/httponly")
	assert.Contains(t, out, "FAIL   cookies/secure")
	assert.Contains(t, out, "WARN   cookies/samesite")
}

func TestCheckCookiesBuiltinPasses(t *testing.T) {
	t.Parallel()
	code, out, errOut := runArgs(t, "check", "--profile", "cookies")

	assert.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "(profile cookies)")
	assert.Contains(t, out, "PASS   cookies/rotated-cookie")
	assert.Contains(t, errOut, "checking the built-in refserver")
}

func TestEmbeddedConfig(t *testing.T) {
	tests := []struct {
		name        string
		opts        checkOptions
		wantProfile string
		wantCookies bool
		wantKey     bool // the profile is handed refserver's HS256 key
	}{
		{name: "default", wantProfile: "nuxt-drf", wantKey: true},
		{name: "cookies profile", opts: checkOptions{profile: "cookies"},
			wantProfile: "cookies", wantCookies: true, wantKey: true},
		{name: "insecure-cookies", opts: checkOptions{faults: []string{"insecure-cookies"}},
			wantProfile: "cookies", wantCookies: true, wantKey: true},
		{name: "stale-cookie", opts: checkOptions{faults: []string{"no-rotate",
			"stale-cookie"}}, wantProfile: "cookies", wantCookies: true, wantKey: true},
		{name: "cookie fault over graphql", opts: checkOptions{profile: "graphql",
			faults: []string{"insecure-cookies"}}, wantProfile: "graphql",
			wantCookies: true, wantKey: true},
		{name: "graphql", opts: checkOptions{profile: "graphql"}, wantProfile: "graphql",
			wantKey: true},
		{name: "key-confusion signs with RS256",
			opts: checkOptions{faults: []string{"key-confusion"}}, wantProfile: "nuxt-drf"},
		{name: "weak-secret has its own key",
			opts: checkOptions{faults: []string{"weak-secret"}}, wantProfile: "nuxt-drf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, profile, err := tc.opts.embeddedConfig()

			require.NoError(t, err)
			assert.Equal(t, tc.wantProfile, profile)
			assert.Equal(t, tc.wantCookies, cfg.Cookies)
			assert.Equal(t, tc.wantKey, cfg.SigningKey != "")
			assert.Len(t, cfg.Faults, len(tc.opts.faults))
		})
	}
}
