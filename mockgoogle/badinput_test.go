package mockgoogle_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
)

// providerPaths are the provider endpoints, each with a method it serves.
var providerPaths = map[string]string{
	"/.well-known/openid-configuration": http.MethodGet,
	"/oauth2/v3/certs":                  http.MethodGet,
	"/o/oauth2/v2/auth":                 http.MethodPost,
	"/o/oauth2/auth":                    http.MethodPost,
	"/o/oauth2/auth/oauthchooseaccount": http.MethodPost,
	"/token":                            http.MethodPost,
	"/v1/userinfo":                      http.MethodPost,
	"/oauth2/v3/userinfo":               http.MethodPost,
	"/tokeninfo":                        http.MethodPost,
	"/oauth2/v3/tokeninfo":              http.MethodPost,
	"/revoke":                           http.MethodPost,
}

// TestBadInput checks that malformed requests get a 4xx with a JSON error body on every
// provider endpoint, never a 500.
func TestBadInput(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	huge := strings.Repeat("a=b&", 64<<10)
	tests := []struct {
		name        string
		method      string // empty: the endpoint's own
		query       string
		contentType string
		body        string
		header      string // an Authorization header
		wantStatus  int
		postOnly    bool
	}{
		{name: "bad escapes", body: "grant_type=%zz&code=%", wantStatus: 400, postOnly: true},
		{name: "binary body", contentType: "application/octet-stream", body: "\x00\xff\xfe",
			wantStatus: 400, postOnly: true},
		{name: "json body", contentType: "application/json", body: `{"code": 1}`,
			wantStatus: 400, postOnly: true},
		{name: "huge body", body: huge, wantStatus: 413, postOnly: true},
		{name: "bad query", query: "a=%zz", wantStatus: 400},
		{name: "semicolon query", query: "a=1;b=2", wantStatus: 400},
		{name: "wrong method", method: http.MethodDelete, wantStatus: 405},
	}
	for _, tc := range tests {
		for path, method := range providerPaths {
			if tc.postOnly && method != http.MethodPost {
				continue
			}
			t.Run(tc.name+path, func(t *testing.T) {
				if tc.method != "" {
					method = tc.method
				}
				ct := tc.contentType
				if ct == "" {
					ct = "application/x-www-form-urlencoded"
				}
				u := srv.URL() + path
				if tc.query != "" {
					u += "?" + tc.query
				}
				req, err := http.NewRequest(method, u, strings.NewReader(tc.body))
				require.NoError(t, err)
				req.Header.Set("Content-Type", ct)

				resp, body := doResp(t, req)

				assert.Equal(t, tc.wantStatus, resp.StatusCode)
				assert.NotEmpty(t, body["error"])
			})
		}
	}
}

// TestDuplicateParams checks repeated fields: a JSON error from API endpoints, an error
// page (never a redirect) from the authorization endpoint.
func TestDuplicateParams(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	tests := []struct {
		name, method, path, query string
		wantType                  string
	}{
		{"token", "POST", "/token", "grant_type=refresh_token&grant_type=authorization_code",
			"application/json"},
		{"revoke", "POST", "/revoke", "token=a&token=b", "application/json"},
		{"tokeninfo", "GET", "/tokeninfo", "id_token=a&id_token=b", "application/json"},
		{"authorize", "GET", "/o/oauth2/v2/auth",
			"client_id=authprobe-client&redirect_uri=http://localhost/a" +
				"&redirect_uri=https://evil.example.com/b&response_type=code&scope=openid",
			"text/html"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL()+tc.path+"?"+tc.query, nil)
			require.NoError(t, err)
			resp, err := noRedirects.Do(req)
			require.NoError(t, err)
			resp.Body.Close()

			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Contains(t, resp.Header.Get("Content-Type"), tc.wantType)
		})
	}
}

// TestUnknownPath checks that unknown paths get a JSON 404.
func TestUnknownPath(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})

	status, body := getJSON(t, srv.URL()+"/oauth2/v2/nothing")

	assert.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, "not_found", body["error"])
}

// FuzzTokenEndpoint throws arbitrary bodies and headers at the token request parser and
// checks that every answer is a 4xx with a JSON error, never a 500 or a panic.
func FuzzTokenEndpoint(f *testing.F) {
	seeds := []struct{ body, contentType, authorization string }{
		{"grant_type=authorization_code&code=4%2F0abc&redirect_uri=http%3A%2F%2Flocalhost" +
			"&client_id=authprobe-client&client_secret=authprobe-secret",
			"application/x-www-form-urlencoded", ""},
		{"grant_type=refresh_token&refresh_token=1%2F%2F0x", "", "Basic YXV0aHByb2JlLWNsaWVudDph"},
		{"code=a&code=b", "application/x-www-form-urlencoded", ""},
		{"grant_type", "application/x-www-form-urlencoded; charset=utf-8", "Basic %%%"},
		{"%zz=%", "application/x-www-form-urlencoded", "Basic Og=="},
		{`{"grant_type": "authorization_code"}`, "application/json", "Bearer x"},
		{"grant_type=authorization_code&code_verifier=" + strings.Repeat("a", 200), "", ""},
		{"\x00\xff", "multipart/form-data; boundary=x", ""},
	}
	for _, s := range seeds {
		f.Add(s.body, s.contentType, s.authorization)
	}
	srv, err := mockgoogle.New(mockgoogle.Config{})
	require.NoError(f, err)

	f.Fuzz(func(t *testing.T, body, contentType, authorization string) {
		req := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", authorization)
		rec := httptest.NewRecorder()

		srv.ServeHTTP(rec, req)

		out, err := io.ReadAll(rec.Body)
		require.NoError(t, err)
		require.GreaterOrEqual(t, rec.Code, 400, "body %s", out)
		require.Less(t, rec.Code, 500, "body %s", out)
		var e struct{ Error string }
		require.NoError(t, json.Unmarshal(out, &e), "body %q", out)
		require.NotEmpty(t, e.Error)
	})
}
