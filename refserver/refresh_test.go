package refserver_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/refserver"
)

const blacklisted = `{"detail":"Token is blacklisted","code":"token_not_valid"}`

func TestRefreshChain(t *testing.T) {
	e := newEnv(t, refserver.Config{})
	cur := e.login(t)

	seen := map[string]bool{cur.refresh: true}
	for range 5 {
		e.advance(t, 6*time.Minute) // past the access token's exp, as Nuxt refreshes
		next := e.mustRefresh(t, cur.refresh)

		require.False(t, seen[next.refresh], "refresh token repeated")
		seen[next.refresh] = true
		assert.Equal(t, http.StatusOK, e.getUser(t, next.access).status)
		assert.Equal(t, http.StatusUnauthorized, e.getUser(t, cur.access).status)
		cur = next
	}
}

func TestRefreshSimpleJWTEndpoint(t *testing.T) {
	e := newEnv(t, refserver.Config{})
	first := e.login(t)

	resp := e.postJSON(t, "/auth/token/refresh/", map[string]string{"refresh": first.refresh})

	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	assert.Equal(t, "no-store", resp.header.Get("Cache-Control"))
	body := resp.object(t)
	assert.Len(t, body, 2)
	assert.NotEqual(t, first.refresh, body["refresh"])
	assert.Equal(t, http.StatusOK, e.getUser(t, resp.str(t, "access")).status)
}

func TestRefreshRefused(t *testing.T) {
	tests := []struct {
		name   string
		style  string
		path   string
		body   func(t *testing.T, e *env) string // form body
		status int
		want   string
	}{
		{
			name:   "missing field",
			path:   "/auth/token/refresh/",
			body:   func(*testing.T, *env) string { return "" },
			status: http.StatusBadRequest,
			want:   `{"refresh":["This field is required."]}`,
		},
		{
			name:   "blank field",
			path:   "/auth/token/refresh/",
			body:   func(*testing.T, *env) string { return "refresh=" },
			status: http.StatusBadRequest,
			want:   `{"refresh":["This field may not be blank."]}`,
		},
		{
			name:   "garbage",
			path:   "/auth/token/refresh/",
			body:   func(*testing.T, *env) string { return "refresh=garbage" },
			status: http.StatusUnauthorized,
			want:   `{"detail":"Token is invalid or expired","code":"token_not_valid"}`,
		},
		{
			name: "access token as refresh",
			path: "/auth/token/refresh/",
			body: func(t *testing.T, e *env) string {
				return "refresh=" + e.login(t).access
			},
			status: http.StatusUnauthorized,
			want:   `{"detail":"Token has wrong type","code":"token_not_valid"}`,
		},
		{
			name: "expired refresh token",
			path: "/social-login/google/",
			body: func(t *testing.T, e *env) string {
				tok := e.login(t)
				e.advance(t, 721*time.Hour)
				return refreshBody(tok.refresh)
			},
			status: http.StatusUnauthorized,
			want:   `{"detail":"Token is invalid or expired","code":"token_not_valid"}`,
		},
		{
			name: "rotated token",
			path: "/social-login/google/",
			body: func(t *testing.T, e *env) string {
				tok := e.login(t)
				e.mustRefresh(t, tok.refresh)
				return refreshBody(tok.refresh)
			},
			status: http.StatusUnauthorized,
			want:   blacklisted,
		},
		{
			name:  "rotated token rfc6749",
			style: "rfc6749",
			path:  "/social-login/google/",
			body: func(t *testing.T, e *env) string {
				tok := e.login(t)
				e.mustRefresh(t, tok.refresh)
				return refreshBody(tok.refresh)
			},
			status: http.StatusBadRequest,
			want:   `{"error":"invalid_grant","error_description":"Token is blacklisted"}`,
		},
		{
			name:   "missing field rfc6749",
			style:  "rfc6749",
			path:   "/auth/token/refresh/",
			body:   func(*testing.T, *env) string { return "" },
			status: http.StatusBadRequest,
			want: `{"error":"invalid_request",
				"error_description":"refresh: This field is required."}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, refserver.Config{ErrorStyle: tc.style})

			resp := e.postForm(t, tc.path, tc.body(t, e))

			assert.Equal(t, tc.status, resp.status)
			assert.JSONEq(t, tc.want, string(resp.body))
			if tc.status == http.StatusUnauthorized {
				assert.Equal(t, `Bearer realm="api"`, resp.header.Get("WWW-Authenticate"))
			}
		})
	}
}

func TestReuseRevokesFamily(t *testing.T) {
	e := newEnv(t, refserver.Config{})
	first := e.login(t)
	other := e.login(t)
	second := e.mustRefresh(t, first.refresh)
	third := e.mustRefresh(t, second.refresh)

	reuse := e.refresh(t, first.refresh)

	assert.Equal(t, http.StatusUnauthorized, reuse.status)
	assert.JSONEq(t, blacklisted, string(reuse.body))
	latest := e.refresh(t, third.refresh)
	assert.Equal(t, http.StatusUnauthorized, latest.status)
	assert.JSONEq(t, blacklisted, string(latest.body))
	e.mustRefresh(t, other.refresh) // another session of the same user lives on
}

func TestReuseGrace(t *testing.T) {
	e := newEnv(t, refserver.Config{ReuseGrace: 30 * time.Second})
	first := e.login(t)
	second := e.mustRefresh(t, first.refresh)

	e.advance(t, 10*time.Second)
	duplicate := e.mustRefresh(t, first.refresh)
	e.advance(t, 30*time.Second)
	late := e.refresh(t, first.refresh)

	assert.Equal(t, second, duplicate)
	assert.Equal(t, http.StatusUnauthorized, late.status)
	assert.Equal(t, http.StatusUnauthorized, e.refresh(t, second.refresh).status)
}

func TestRefreshAfterAccessExpiry(t *testing.T) {
	e := newEnv(t, refserver.Config{AccessTTL: time.Minute})
	tok := e.login(t)

	e.advance(t, 59*time.Second)
	before := e.getUser(t, tok.access)
	e.advance(t, time.Second)
	after := e.getUser(t, tok.access)
	next := e.mustRefresh(t, tok.refresh)

	assert.Equal(t, http.StatusOK, before.status)
	assert.Equal(t, http.StatusUnauthorized, after.status)
	assert.Equal(t, http.StatusOK, e.getUser(t, next.access).status)
}
