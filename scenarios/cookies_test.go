package scenarios

import (
	"net/http"
	"testing"

	"github.com/authprobe/authprobe/refserver"
	"github.com/stretchr/testify/assert"
)

// TestCookiesOnRefserver proves the cookie checks on refserver's cookie mode: each passes
// as it is, and fails (warns, for a should-check) with the fault it exists to catch.
func TestCookiesOnRefserver(t *testing.T) {
	cookies := refserver.Config{Cookies: true}
	var cases []targetCase
	for _, c := range cookieChecks() {
		cases = append(cases, targetCase{name: "as it is", cfg: cookies, check: c.ID,
			want: StatusPass})
	}
	faulty := []struct {
		fault, check string
		want         Status
	}{
		{"insecure-cookies", "cookies/httponly", StatusFail},
		{"insecure-cookies", "cookies/secure", StatusFail},
		{"insecure-cookies", "cookies/samesite", StatusWarn},
		{"insecure-cookies", "cookies/refresh-path", StatusWarn},
		{"stale-cookie", "cookies/rotated-cookie", StatusFail},
	}
	for _, f := range faulty {
		cases = append(cases, targetCase{name: f.fault, cfg: cookies,
			faults: []string{f.fault}, check: f.check, want: f.want})
	}
	runTargetCases(t, cases)
}

func TestCookiesSkipWithoutCookies(t *testing.T) {
	t.Parallel()
	tgt := newTarget(t)

	results := runChecks(t, tgt, "cookies/httponly", "cookies/secure", "cookies/samesite",
		"cookies/refresh-path", "cookies/rotated-cookie")

	for id, res := range results {
		assert.Equal(t, StatusSkip, res.Status, id)
		assert.Contains(t, res.Summary, "expect.cookies: false", id)
	}
}

func TestCookiePath(t *testing.T) {
	tests := []struct {
		name      string
		cookie    setCookie
		req       string
		wantMatch bool
	}{
		{"exact", setCookie{Cookie: &http.Cookie{Path: "/auth/token/refresh/"}},
			"/auth/token/refresh/", true},
		{"parent directory", setCookie{Cookie: &http.Cookie{Path: "/auth"}},
			"/auth/token/refresh/", true},
		{"prefix of a segment", setCookie{Cookie: &http.Cookie{Path: "/au"}},
			"/auth/token/refresh/", false},
		{"sibling", setCookie{Cookie: &http.Cookie{Path: "/auth/token/refresh/"}},
			"/auth/user/", false},
		{"root", setCookie{Cookie: &http.Cookie{Path: "/"}}, "/auth/user/", true},
		{"default path of the login answer",
			setCookie{Cookie: &http.Cookie{}, path: "/social-login/google/"},
			"/social-login/google/", true},
		{"default path elsewhere",
			setCookie{Cookie: &http.Cookie{}, path: "/social-login/google/"},
			"/auth/token/refresh/", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.wantMatch, pathMatch(tc.req, cookiePath(tc.cookie)))
		})
	}
}
