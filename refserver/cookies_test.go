package refserver_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/refserver"
)

// cookiesOf returns the cookies an answer sets, by name.
func cookiesOf(resp response) map[string]*http.Cookie {
	out := map[string]*http.Cookie{}
	for _, c := range (&http.Response{Header: resp.header}).Cookies() {
		out[c.Name] = c
	}
	return out
}

// assertTokenCookie checks a token cookie's attributes.
func assertTokenCookie(t *testing.T, c *http.Cookie, path string, maxAge int) {
	t.Helper()
	require.NotNil(t, c)
	assert.True(t, c.HttpOnly, "HttpOnly")
	assert.True(t, c.Secure, "Secure")
	assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
	assert.Equal(t, path, c.Path)
	assert.Equal(t, maxAge, c.MaxAge)
}

func TestCookies(t *testing.T) {
	e := newEnv(t, refserver.Config{Cookies: true})

	login := e.postForm(t, "/social-login/google/", exchangeBody(e.mintCode(t)))

	require.Equal(t, http.StatusOK, login.status, "%s", login.body)
	set := cookiesOf(login)
	assertTokenCookie(t, set["access_token"], "/", 300)
	assertTokenCookie(t, set["refresh_token"], "/auth/token/refresh/", 720*3600)
	assert.Equal(t, login.str(t, "refresh_token"), set["refresh_token"].Value)

	// The browser sends the access cookie everywhere and the refresh cookie to its path.
	h := http.Header{"Cookie": {"access_token=" + set["access_token"].Value}}
	user := e.do(t, http.MethodGet, "/auth/user/", "", "", h)
	assert.Equal(t, http.StatusOK, user.status, "%s", user.body)

	h = http.Header{"Cookie": {"refresh_token=" + set["refresh_token"].Value}}
	rotated := e.do(t, http.MethodPost, "/auth/token/refresh/", "", "", h)
	require.Equal(t, http.StatusOK, rotated.status, "%s", rotated.body)
	next := cookiesOf(rotated)
	assertTokenCookie(t, next["refresh_token"], "/auth/token/refresh/", 720*3600)
	assert.NotEqual(t, set["refresh_token"].Value, next["refresh_token"].Value)
	assert.Equal(t, rotated.str(t, "refresh"), next["refresh_token"].Value)

	logout := e.postForm(t, "/auth/logout/", "refresh="+next["refresh_token"].Value)
	require.Equal(t, http.StatusOK, logout.status, "%s", logout.body)
	cleared := cookiesOf(logout)
	assertTokenCookie(t, cleared["access_token"], "/", -1)
	assertTokenCookie(t, cleared["refresh_token"], "/auth/token/refresh/", -1)
	assert.Contains(t, logout.header.Values("Set-Cookie")[0], "Max-Age=0")

	h = http.Header{"Cookie": {"refresh_token=" + next["refresh_token"].Value}}
	after := e.do(t, http.MethodPost, "/auth/token/refresh/", "", "", h)
	assert.Equal(t, http.StatusUnauthorized, after.status)
}

func TestCookiesOffIgnoresCookies(t *testing.T) {
	e := newEnv(t, refserver.Config{})
	tok := e.login(t)

	h := http.Header{"Cookie": {"access_token=" + tok.access}}
	user := e.do(t, http.MethodGet, "/auth/user/", "", "", h)

	assert.Equal(t, http.StatusUnauthorized, user.status)
	assert.Empty(t, e.mustRefreshResp(t, tok.refresh).header.Values("Set-Cookie"))
}

// mustRefreshResp refreshes and returns the whole answer.
func (e *env) mustRefreshResp(t testing.TB, refresh string) response {
	t.Helper()
	resp := e.refresh(t, refresh)
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	return resp
}
