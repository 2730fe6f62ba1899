package scenarios

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wireRecorder is a backend that answers every request with a fixed token pair and keeps
// what arrived, byte for byte: the honest way to test what the Client puts on the wire.
type wireRecorder struct {
	mu   sync.Mutex
	reqs []wireRequest
}

type wireRequest struct {
	method, path, body string
	header             http.Header
}

func (w *wireRecorder) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.mu.Lock()
	w.reqs = append(w.reqs, wireRequest{r.Method, r.URL.Path, string(body), r.Header.Clone()})
	w.mu.Unlock()
	rw.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(rw, `{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln",`+
		`"refresh_token":"r-1"}`)
}

func (w *wireRecorder) last(t testing.TB) wireRequest {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	require.NotEmpty(t, w.reqs)
	return w.reqs[len(w.reqs)-1]
}

func newWireClient(t testing.TB, p *Profile) (*Client, *wireRecorder, *Log) {
	t.Helper()
	wr := &wireRecorder{}
	srv := httptest.NewServer(wr)
	t.Cleanup(srv.Close)
	p.BaseURL = srv.URL
	log := &Log{}
	return NewClient(p, ClientConfig{Recorder: log, Timeout: 5 * time.Second}), wr, log
}

func TestClientWire(t *testing.T) {
	c, wr, _ := newWireClient(t, nuxtDRFProfile())
	ctx := t.Context()

	t.Run("exchange", func(t *testing.T) {
		_, err := c.Exchange(ctx, Grant{Code: "4/0AX4XfWh-test"}, EncodingForm)
		require.NoError(t, err)
		got := wr.last(t)
		assert.Equal(t, "code=4%2F0AX4XfWh-test&client_id=authprobe-client&redirect_uri="+
			"http%3A%2F%2Flocalhost%3A3000%2Flogin&response_type=code&audience&grant_type",
			got.body)
		assert.Equal(t, "application/x-www-form-urlencoded", got.header.Get("Content-Type"))
		assert.Equal(t, "application/json, text/plain, */*", got.header.Get("Accept"))
		assert.Empty(t, got.header.Get("Authorization"))
	})
	t.Run("exchange with pkce", func(t *testing.T) {
		_, err := c.Exchange(ctx, Grant{Code: "c", Verifier: "abc123"}, EncodingForm)
		require.NoError(t, err)
		assert.True(t, strings.HasSuffix(wr.last(t).body, "&grant_type&code_verifier=abc123"))
	})
	t.Run("exchange as json", func(t *testing.T) {
		_, err := c.Exchange(ctx, Grant{Code: "c"}, EncodingJSON)
		require.NoError(t, err)
		got := wr.last(t)
		assert.Equal(t, "application/json", got.header.Get("Content-Type"))
		assert.JSONEq(t, `{"code":"c","client_id":"authprobe-client","response_type":"code",`+
			`"redirect_uri":"http://localhost:3000/login"}`, got.body)
	})
	t.Run("refresh", func(t *testing.T) {
		resp, err := c.Refresh(ctx, "eyJ.r")
		require.NoError(t, err)
		got := wr.last(t)
		assert.Equal(t, "/social-login/google/", got.path)
		assert.Equal(t, "refresh_token=eyJ.r&scopes=openid%20profile%20email&"+
			"client_id=authprobe-client&grant_type=refresh_token", got.body)
		assert.Empty(t, got.header.Get("Authorization"))
		assert.Equal(t, "r-1", resp.Tokens.Refresh)
	})
	t.Run("user", func(t *testing.T) {
		_, err := c.User(ctx, "tok")
		require.NoError(t, err)
		got := wr.last(t)
		assert.Equal(t, http.MethodGet, got.method)
		assert.Equal(t, "Bearer tok", got.header.Get("Authorization"))
	})
	t.Run("logout", func(t *testing.T) {
		_, err := c.Logout(ctx, Tokens{Access: "a", Refresh: "r"})
		require.NoError(t, err)
		got := wr.last(t)
		assert.Equal(t, "/auth/logout/", got.path)
		assert.JSONEq(t, `{"refresh":"r"}`, got.body)
		assert.Equal(t, "Bearer a", got.header.Get("Authorization"))
	})
}

func TestClientSimpleJWTRefresh(t *testing.T) {
	c, wr, _ := newWireClient(t, simpleJWTProfile())

	_, err := c.Refresh(t.Context(), "r")
	require.NoError(t, err)

	got := wr.last(t)
	assert.Equal(t, "/api/token/refresh/", got.path)
	assert.JSONEq(t, `{"refresh":"r"}`, got.body)
}

func TestClientRecordsRedacted(t *testing.T) {
	c, _, log := newWireClient(t, nuxtDRFProfile())

	_, err := c.Refresh(t.Context(), "secret-refresh-token")
	require.NoError(t, err)

	xs := log.Exchanges()
	require.Len(t, xs, 1)
	data, err := json.Marshal(xs[0])
	require.NoError(t, err)
	assert.NotContains(t, string(data), "secret-refresh-token")
	assert.NotContains(t, string(data), "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln")
	assert.Contains(t, xs[0].RequestBody, "refresh_token=<fp:"+Fingerprint("secret-refresh-token"))
	assert.Equal(t, 200, xs[0].Status)
}

func TestClientTransportErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"hang", func(_ http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body) // so that the server notices the client leave
			<-r.Context().Done()
		}, "no answer in time"},
		{"reset", func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.(*net.TCPConn).SetLinger(0)
				conn.Close()
			}
		}, "POST /social-login/google/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			t.Cleanup(srv.Close)
			p := nuxtDRFProfile()
			p.BaseURL = srv.URL
			c := NewClient(p, ClientConfig{Timeout: 200 * time.Millisecond})

			_, err := c.Refresh(t.Context(), "r")

			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestEncodeURIComponent(t *testing.T) {
	assert.Equal(t, "openid%20profile%20email", encodeURIComponent("openid profile email"))
	assert.Equal(t, "a-_.!~*'()b%2F%3D%26%2B", encodeURIComponent("a-_.!~*'()b/=&+"))
	assert.Equal(t, "%C3%A9", encodeURIComponent("é"))
}

func TestRedactor(t *testing.T) {
	red := newRedactor("access", "refresh")
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
	tests := []struct {
		name, in, want string
	}{
		{"json tokens", `{"access":"a1","refresh_token":"r1","code":"token_not_valid"}`,
			`{"access":"<fp:` + Fingerprint("a1") + `>","code":"token_not_valid",` +
				`"refresh_token":"<fp:` + Fingerprint("r1") + `>"}`},
		{"form keeps bare keys", "code=4%2Fabc&response_type=code&audience&grant_type",
			"code=<fp:" + Fingerprint("4/abc") + ">&response_type=code&audience&grant_type"},
		{"jwt in text", "token " + jwt + " here", "token <fp:" + Fingerprint(jwt) + "> here"},
		{"html stays", "<h1>500</h1>", "<h1>500</h1>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, red.text(tc.in))
		})
	}

	h := http.Header{
		"Authorization": {"Bearer " + jwt},
		"Set-Cookie":    {"refresh_token=r1; Path=/auth/; HttpOnly; Secure"},
		"Location":      {"http://localhost:3000/login?code=4%2Fabc&state=xyz"},
	}
	got := red.header(h)
	assert.Equal(t, "Bearer <fp:"+Fingerprint(jwt)+">", got.Get("Authorization"))
	assert.Equal(t, "refresh_token=<fp:"+Fingerprint("r1")+">; Path=/auth/; HttpOnly; Secure",
		got.Get("Set-Cookie"))
	assert.Contains(t, got.Get("Location"), "code=<fp:"+Fingerprint("4/abc")+">&state=xyz")
}

func TestClientCookies(t *testing.T) {
	c, wr, _ := newWireClient(t, cookiesProfile())

	_, err := c.Refresh(t.Context(), "r")
	require.NoError(t, err)
	got := wr.last(t)
	assert.Equal(t, "/auth/token/refresh/", got.path)
	assert.Equal(t, "refresh_token=r", got.header.Get("Cookie"))

	_, err = c.User(t.Context(), "a")
	require.NoError(t, err)
	assert.Equal(t, "access_token=a", wr.last(t).header.Get("Cookie"))

	_, err = c.User(t.Context(), "")
	require.NoError(t, err)
	assert.Empty(t, wr.last(t).header.Get("Cookie"))
}

// TestIdleConnectionsCloseFirst checks that the HTTP clients a run makes drop idle
// keep-alive connections before servers do (gunicorn after 2s), so that no POST is sent
// on a connection the server is closing.
func TestIdleConnectionsCloseFirst(t *testing.T) {
	r, err := newRunner(Config{Profile: nuxtDRFProfile(), GoogleURL: "http://127.0.0.1:1"})
	require.NoError(t, err)
	clients := map[string]*http.Client{
		"target":     NewClient(nuxtDRFProfile(), ClientConfig{}).http,
		"run target": r.client.http,
		"google":     r.google.http,
		"clock":      r.clock.http,
	}
	for name, hc := range clients {
		tr, ok := hc.Transport.(*http.Transport)
		if !assert.True(t, ok, name) {
			continue
		}
		assert.Positive(t, tr.IdleConnTimeout, name)
		assert.Less(t, tr.IdleConnTimeout, 2*time.Second, name)
	}
}
