package mockgoogle_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
)

// authParams is a valid authorization request for the default client.
func authParams() url.Values {
	return url.Values{
		"client_id":     {mockgoogle.DefaultClientID},
		"redirect_uri":  {redirectURI},
		"response_type": {"code"},
		"scope":         {"openid email"},
		"state":         {"s1"},
	}
}

// TestAuthorizeErrorPage checks that requests that cannot be sent back get an error page,
// never a redirect.
func TestAuthorizeErrorPage(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	tests := []struct {
		name     string
		key, val string // "" val deletes key
		wantText string
	}{
		{name: "unknown client", key: "client_id", val: "nope", wantText: "invalid_client"},
		{name: "missing client", key: "client_id", wantText: "client_id"},
		{name: "missing redirect", key: "redirect_uri", wantText: "redirect_uri"},
		{name: "foreign redirect", key: "redirect_uri", val: "https://evil.example.com/cb",
			wantText: "redirect_uri_mismatch"},
		{name: "not a URL", key: "redirect_uri", val: "http://[::1", wantText: "redirect_uri"},
		{name: "javascript redirect", key: "redirect_uri", val: "javascript:alert(1)",
			wantText: "redirect_uri_mismatch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			params := authParams()
			if tc.val == "" {
				params.Del(tc.key)
			} else {
				params.Set(tc.key, tc.val)
			}

			resp, err := noRedirects.Get(srv.URL() + "/o/oauth2/v2/auth?" + params.Encode())
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)

			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Empty(t, resp.Header.Get("Location"))
			assert.Contains(t, resp.Header.Get("Content-Type"), "text/html")
			assert.Contains(t, string(body), tc.wantText)
		})
	}
}

// TestAuthorizeRedirectErrors checks that other bad parameters are sent back as errors.
func TestAuthorizeRedirectErrors(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	tests := []struct {
		name      string
		key, val  string
		wantError string
	}{
		{name: "token response type", key: "response_type", val: "token",
			wantError: "unsupported_response_type"},
		{name: "missing response type", key: "response_type", wantError: "invalid_request"},
		{name: "missing scope", key: "scope", wantError: "invalid_request"},
		{name: "unknown scope", key: "scope", val: "openid admin", wantError: "invalid_scope"},
		{name: "bad access type", key: "access_type", val: "forever",
			wantError: "invalid_request"},
		{name: "bad prompt", key: "prompt", val: "none consent", wantError: "invalid_request"},
		{name: "bad challenge method", key: "code_challenge_method", val: "S512",
			wantError: "invalid_request"},
		{name: "short challenge", key: "code_challenge", val: "abc",
			wantError: "invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			params := authParams()
			if tc.val == "" {
				params.Del(tc.key)
			} else {
				params.Set(tc.key, tc.val)
			}
			if tc.key == "code_challenge_method" {
				params.Set("code_challenge", pkceVerifier)
			}

			back := authorize(t, srv.URL()+"/o/oauth2/v2/auth?"+params.Encode())

			assert.Equal(t, tc.wantError, back.Get("error"))
			assert.Equal(t, "s1", back.Get("state"))
			assert.Empty(t, back.Get("code"))
		})
	}
}

// TestAuthorizeWhoSignsIn checks the order: queued users, then login_hint, then the first
// configured user.
func TestAuthorizeWhoSignsIn(t *testing.T) {
	grace := mockgoogle.User{Sub: "2", Email: "grace@example.com", EmailVerified: true}
	ada := mockgoogle.DefaultUser()
	srv := newServer(t, mockgoogle.Config{Users: []mockgoogle.User{ada, grace}})
	queued := mockgoogle.User{Sub: "3", Email: "queued@example.com"}
	srv.QueueUser(queued)

	signIn := func(hint string) string {
		params := authParams()
		if hint != "" {
			params.Set("login_hint", hint)
		}
		back := authorize(t, srv.URL()+"/o/oauth2/auth?"+params.Encode())
		_, body := postForm(t, srv, "/token", exchangeForm(back.Get("code")), "", "")
		_, info := getJSON(t, srv.URL()+"/tokeninfo?access_token="+
			url.QueryEscape(body["access_token"].(string)))
		return info["sub"].(string)
	}

	assert.Equal(t, queued.Sub, signIn("grace@example.com"), "queue first")
	assert.Equal(t, grace.Sub, signIn("grace@example.com"), "then login_hint")
	assert.Equal(t, ada.Sub, signIn(""), "then the first user")
}

// TestAuthorizeInteractive walks the account chooser like a browser.
func TestAuthorizeInteractive(t *testing.T) {
	grace := mockgoogle.User{Sub: "2", Email: "grace@example.com", Name: "Grace Hopper"}
	srv := newServer(t, mockgoogle.Config{
		Users:       []mockgoogle.User{mockgoogle.DefaultUser(), grace},
		Interactive: true,
	})

	resp, err := noRedirects.Get(srv.URL() + "/o/oauth2/v2/auth?" + authParams().Encode())
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(page), "Ada Lovelace")
	assert.Contains(t, string(page), "Grace Hopper")

	// Submit Grace's form as the browser would.
	forms := regexp.MustCompile(`(?s)<form method="post" action="([^"]+)">(.*?)</form>`).
		FindAllStringSubmatch(string(page), -1)
	require.Len(t, forms, 2)
	fields := url.Values{}
	input := regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`)
	for _, m := range input.FindAllStringSubmatch(forms[1][2], -1) {
		fields.Set(m[1], htmlUnescape(m[2]))
	}
	assert.Equal(t, grace.Sub, fields.Get("sub"))
	resp, err = noRedirects.PostForm(srv.URL()+forms[1][1], fields)
	require.NoError(t, err)
	resp.Body.Close()

	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "s1", loc.Query().Get("state"))
	_, body := postForm(t, srv, "/token", exchangeForm(loc.Query().Get("code")), "", "")
	_, info := getJSON(t, srv.URL()+"/tokeninfo?access_token="+
		url.QueryEscape(body["access_token"].(string)))
	assert.Equal(t, grace.Sub, info["sub"])
}

// htmlUnescape undoes html/template's escaping of attribute values.
func htmlUnescape(s string) string {
	return strings.NewReplacer("&#43;", "+", "&amp;", "&", "&#34;", `"`, "&#39;", "'",
		"&lt;", "<", "&gt;", ">").Replace(s)
}

// getJSON fetches url and returns the status and the decoded JSON body.
func getJSON(t testing.TB, url string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	return do(t, req)
}
