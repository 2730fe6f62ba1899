package mockgoogle_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/authprobe/authprobe/mockgoogle"
)

// redirectURI is a redirect URI the default client accepts.
const redirectURI = "http://localhost:3000/login"

// newServer starts a server that logs warnings and worse next to the test's output.
func newServer(t testing.TB, cfg mockgoogle.Config) *mockgoogle.Server {
	t.Helper()
	if cfg.Logger == nil {
		opts := &slog.HandlerOptions{Level: slog.LevelWarn}
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), opts))
	}
	return mockgoogle.NewServer(t, cfg)
}

// oauthConfig is an x/oauth2 client for the default client of srv.
func oauthConfig(srv *mockgoogle.Server, style oauth2.AuthStyle) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     mockgoogle.DefaultClientID,
		ClientSecret: mockgoogle.DefaultClientSecret,
		RedirectURL:  redirectURI,
		Scopes:       []string{"openid", "email", "profile"},
		Endpoint: oauth2.Endpoint{
			AuthURL:   srv.URL() + "/o/oauth2/v2/auth",
			TokenURL:  srv.URL() + "/token",
			AuthStyle: style,
		},
	}
}

// noRedirects is an HTTP client that returns redirects instead of following them.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// authorize follows an authorization URL like a browser would and returns the query of
// the redirect back to the client.
func authorize(t testing.TB, authURL string) url.Values {
	t.Helper()
	resp, err := noRedirects.Get(authURL)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode, "authorize answered %s", resp.Status)

	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, redirectURI, loc.Scheme+"://"+loc.Host+loc.Path)
	return loc.Query()
}

// postForm posts form to path on srv, with HTTP Basic credentials when id is not empty,
// and returns the status and the decoded JSON body.
func postForm(t testing.TB, srv *mockgoogle.Server, path string, form url.Values,
	id, secret string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL()+path,
		strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		req.SetBasicAuth(id, secret)
	}
	return do(t, req)
}

// do sends req and returns the status and the decoded JSON body, which must be JSON.
func do(t testing.TB, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, body := doResp(t, req)
	return resp.StatusCode, body
}

// doResp sends req and returns the answer, body closed, and its decoded JSON body.
func doResp(t testing.TB, req *http.Request) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Contains(t, resp.Header.Get("Content-Type"), "application/json", "body %s", body)

	var out map[string]any
	require.NoError(t, json.Unmarshal(body, &out), "body %s", body)
	return resp, out
}

// mintCode mints a code for the default client with default parameters plus req's.
func mintCode(t testing.TB, srv *mockgoogle.Server, req mockgoogle.CodeRequest) string {
	t.Helper()
	if req.ClientID == "" {
		req.ClientID = mockgoogle.DefaultClientID
	}
	if req.RedirectURI == "" {
		req.RedirectURI = redirectURI
	}
	code, err := srv.MintCode(req)
	require.NoError(t, err)
	return code
}

// exchangeForm is the form of a code exchange for the default client, with secret post.
func exchangeForm(code string) url.Values {
	return url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {redirectURI},
		"client_id":     {mockgoogle.DefaultClientID},
		"client_secret": {mockgoogle.DefaultClientSecret},
	}
}
