package mockgoogle_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
)

// control sends a control request and returns the status and the raw body.
func control(t *testing.T, srv *mockgoogle.Server, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(out)
}

// TestControlAPI drives a sign-in entirely over the HTTP control API, as a check suite in
// another process would.
func TestControlAPI(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := newServer(t, mockgoogle.Config{Now: func() time.Time { return start }})

	status, _ := control(t, srv, "POST", "/_mock/users/next",
		`{"sub": "42", "email": "grace@example.com", "name": "Grace Hopper"}`)
	require.Equal(t, http.StatusNoContent, status)

	status, body := control(t, srv, "POST", "/_mock/codes", `{"client_id": "authprobe-client",
		"redirect_uri": "`+redirectURI+`", "access_type": "offline", "nonce": "n"}`)
	require.Equal(t, http.StatusOK, status, body)
	var minted struct{ Code string }
	require.NoError(t, json.Unmarshal([]byte(body), &minted))

	status, _ = control(t, srv, "POST", "/_mock/faults",
		`{"endpoint": "token", "status": 503, "body": {"error": "backend"}, "code": "`+
			minted.Code+`"}`)
	require.Equal(t, http.StatusNoContent, status)
	st, failed := postForm(t, srv, "/token", exchangeForm(minted.Code), "", "")
	assert.Equal(t, http.StatusServiceUnavailable, st)
	assert.Equal(t, "backend", failed["error"])

	st, tok := postForm(t, srv, "/token", exchangeForm(minted.Code), "", "")
	require.Equal(t, http.StatusOK, st)
	_, info := getJSON(t, srv.URL()+"/tokeninfo?access_token="+
		url.QueryEscape(tok["access_token"].(string)))
	assert.Equal(t, "42", info["sub"])
	assert.Equal(t, "true", info["email_verified"], "email_verified defaults to true")

	status, body = control(t, srv, "POST", "/_mock/keys/rotate", "")
	require.Equal(t, http.StatusOK, status)
	assert.Regexp(t, `^\{"kid":"[0-9a-f]{40}"\}`, body)

	status, body = control(t, srv, "POST", "/_mock/clock", `{"advance": "90s"}`)
	require.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"now": "2026-01-02T03:05:35Z"}`, body)

	status, body = control(t, srv, "GET", "/_mock/requests", "")
	require.Equal(t, http.StatusOK, status)
	var logged []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &logged))
	require.Len(t, logged, 3, "control calls are not recorded")
	assert.Equal(t, "token", logged[0]["endpoint"])
	assert.Equal(t, float64(503), logged[0]["status"])
	assert.Equal(t, "post", logged[0]["client_auth"])
	assert.NotContains(t, body, minted.Code, "values are never recorded")

	for _, path := range []string{"/_mock/requests", "/_mock/faults"} {
		status, _ = control(t, srv, "DELETE", path, "")
		assert.Equal(t, http.StatusNoContent, status)
	}
	assert.Empty(t, srv.Requests())
}

// TestControlAPIErrors checks that bad control requests get a 4xx JSON error.
func TestControlAPIErrors(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	tests := []struct {
		name, method, path, body string
		wantStatus               int
	}{
		{"user without sub", "POST", "/_mock/users/next", `{"email": "a@b.c"}`, 400},
		{"unknown field", "POST", "/_mock/users/next", `{"sub": "1", "mail": "x"}`, 400},
		{"not json", "POST", "/_mock/codes", `code please`, 400},
		{"trailing data", "POST", "/_mock/clock", `{"advance": "1s"} {}`, 400},
		{"code for unknown client", "POST", "/_mock/codes",
			`{"client_id": "nope", "redirect_uri": "` + redirectURI + `"}`, 401},
		{"code for unknown user", "POST", "/_mock/codes",
			`{"client_id": "authprobe-client", "redirect_uri": "` + redirectURI +
				`", "sub": "nobody"}`, 400},
		{"code without redirect", "POST", "/_mock/codes",
			`{"client_id": "authprobe-client"}`, 400},
		{"fault of unknown kind", "POST", "/_mock/faults",
			`{"endpoint": "token", "kind": "meteor"}`, 400},
		{"fault with bad latency", "POST", "/_mock/faults",
			`{"endpoint": "token", "latency": "soon"}`, 400},
		{"clock backwards", "POST", "/_mock/clock", `{"advance": "-1s"}`, 400},
		{"wrong method", "PUT", "/_mock/clock", `{}`, 405},
		{"unknown path", "GET", "/_mock/nothing", ``, 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := control(t, srv, tc.method, tc.path, tc.body)

			assert.Equal(t, tc.wantStatus, status, body)
			var e struct{ Error string }
			require.NoError(t, json.Unmarshal([]byte(body), &e), body)
			assert.NotEmpty(t, e.Error)
		})
	}
}

// TestControlLoopbackOnly checks that non-loopback peers are refused unless allowed.
func TestControlLoopbackOnly(t *testing.T) {
	tests := []struct {
		name       string
		allow      bool
		wantStatus int
	}{
		{name: "refused by default", wantStatus: http.StatusForbidden},
		{name: "allowed", allow: true, wantStatus: http.StatusNoContent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := mockgoogle.New(mockgoogle.Config{AllowRemoteControl: tc.allow})
			require.NoError(t, err)
			req := httptest.NewRequest(http.MethodDelete, "/_mock/faults", nil)
			req.RemoteAddr = "192.0.2.10:5555"
			rec := httptest.NewRecorder()

			srv.ServeHTTP(rec, req)

			assert.Equal(t, tc.wantStatus, rec.Code)
			if tc.wantStatus == http.StatusForbidden {
				assert.Contains(t, rec.Body.String(), `"error":"forbidden"`)
			}
		})
	}
}
