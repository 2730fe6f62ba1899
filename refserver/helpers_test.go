package refserver_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
)

// testRedirect is the callback the tests' codes are minted for.
const testRedirect = "http://localhost:3000/login"

// env is a refserver wired to its own mockgoogle, and a client for both.
type env struct {
	google *mockgoogle.Server
	srv    *refserver.Server
	client *http.Client
}

// sharedGoogle is the package's one mockgoogle: making its RSA key takes long enough,
// under -race, to dominate the tests if every test made its own. Tests in this package do
// not run in parallel; each env clears its faults and request log.
var sharedGoogle *mockgoogle.Server

func TestMain(m *testing.M) {
	g, err := mockgoogle.New(mockgoogle.Config{})
	if err == nil {
		err = g.Start("127.0.0.1:0")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "start mockgoogle:", err)
		os.Exit(1)
	}
	sharedGoogle = g
	code := m.Run()
	g.Close()
	os.Exit(code)
}

// newEnv starts a refserver with cfg pointed at the shared mockgoogle, with a test clock.
func newEnv(t testing.TB, cfg refserver.Config) *env {
	t.Helper()
	google := sharedGoogle
	google.ClearFaults()
	google.ResetRequests()
	cfg.GoogleURL = google.URL()
	cfg.TestClock = true
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	srv := refserver.NewServer(t, cfg)
	return &env{google: google, srv: srv, client: newClient(t)}
}

// newClient returns a client of its own. Cleanups run last first, so a client made after a
// server closes its spare connections before that server shuts down and waits for them.
func newClient(t testing.TB) *http.Client {
	client := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	t.Cleanup(client.CloseIdleConnections)
	return client
}

// testLogger writes debug records next to the test's output.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// response is an answer, read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

// object decodes the body as a JSON object.
func (r response) object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), "body %s", r.body)
	return m
}

// str returns a string member of the body, or "" when it is missing.
func (r response) str(t testing.TB, key string) string {
	t.Helper()
	s, _ := r.object(t)[key].(string)
	return s
}

// do sends a request to refserver and reads the answer.
func (e *env) do(t testing.TB, method, path, contentType, body string,
	header http.Header) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, e.srv.URL()+path,
		strings.NewReader(body))
	require.NoError(t, err)
	for k, vs := range header {
		req.Header[k] = vs
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := e.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// postForm posts an urlencoded body, written by hand so that bare keys stay bare.
func (e *env) postForm(t testing.TB, path, body string) response {
	t.Helper()
	return e.do(t, http.MethodPost, path, "application/x-www-form-urlencoded", body, nil)
}

// postJSON posts v as JSON.
func (e *env) postJSON(t testing.TB, path string, v any) response {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return e.do(t, http.MethodPost, path, "application/json", string(b), nil)
}

// getUser asks for the user with a bearer access token.
func (e *env) getUser(t testing.TB, access string) response {
	t.Helper()
	h := http.Header{}
	if access != "" {
		h.Set("Authorization", "Bearer "+access)
	}
	return e.do(t, http.MethodGet, "/auth/user/", "", "", h)
}

// mintCode gets a fresh code for the default user from mockgoogle.
func (e *env) mintCode(t testing.TB) string {
	t.Helper()
	code, err := e.google.MintCode(mockgoogle.CodeRequest{ClientID: "authprobe-client",
		RedirectURI: testRedirect})
	require.NoError(t, err)
	return code
}

// exchangeBody is the body Nuxt Auth's oauth2 scheme posts for a code.
func exchangeBody(code string) string {
	return "code=" + url.QueryEscape(code) + "&client_id=authprobe-client&redirect_uri=" +
		url.QueryEscape(testRedirect) + "&response_type=code&audience&grant_type"
}

// refreshBody is the body Nuxt Auth's oauth2 scheme posts to refresh.
func refreshBody(refresh string) string {
	return "refresh_token=" + url.QueryEscape(refresh) +
		"&scopes=openid%20profile%20email&client_id=authprobe-client&grant_type=refresh_token"
}

// tokens is a signed-in session's pair.
type tokens struct {
	access  string
	refresh string
}

// login signs the default user in the way Nuxt Auth does and requires success.
func (e *env) login(t testing.TB) tokens {
	t.Helper()
	resp := e.postForm(t, "/social-login/google/", exchangeBody(e.mintCode(t)))
	require.Equal(t, http.StatusOK, resp.status, "login: %s", resp.body)
	return tokens{access: resp.str(t, "access_token"), refresh: resp.str(t, "refresh_token")}
}

// refresh refreshes the way Nuxt Auth does, on the login endpoint.
func (e *env) refresh(t testing.TB, refresh string) response {
	t.Helper()
	return e.postForm(t, "/social-login/google/", refreshBody(refresh))
}

// mustRefresh refreshes and requires success.
func (e *env) mustRefresh(t testing.TB, refresh string) tokens {
	t.Helper()
	resp := e.refresh(t, refresh)
	require.Equal(t, http.StatusOK, resp.status, "refresh: %s", resp.body)
	return tokens{access: resp.str(t, "access_token"), refresh: resp.str(t, "refresh_token")}
}

// advance moves refserver's test clock forward.
func (e *env) advance(t testing.TB, d time.Duration) {
	t.Helper()
	resp := e.postJSON(t, "/_refserver/clock", map[string]string{"advance": d.String()})
	require.Equal(t, http.StatusOK, resp.status, "clock: %s", resp.body)
}

// claimsOf decodes a token's claims without verifying it.
func claimsOf(t testing.TB, token string) jwt.MapClaims {
	t.Helper()
	c := jwt.MapClaims{}
	_, _, err := jwt.NewParser(jwt.WithJSONNumber()).ParseUnverified(token, c)
	require.NoError(t, err)
	return c
}

// claimInt returns a numeric claim.
func claimInt(t testing.TB, c jwt.MapClaims, name string) int64 {
	t.Helper()
	n, ok := c[name].(json.Number)
	require.True(t, ok, "claim %s is %T", name, c[name])
	v, err := n.Int64()
	require.NoError(t, err)
	return v
}

// claimsOfHeader decodes a token's header without verifying it.
func claimsOfHeader(t testing.TB, token string) map[string]any {
	t.Helper()
	tok, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{})
	require.NoError(t, err)
	return tok.Header
}
