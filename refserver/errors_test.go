package refserver_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/refserver"
)

func TestMalformedInput(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		status      int
	}{
		{"invalid JSON", "POST", "/social-login/google/", "application/json", `{"code":`, 400},
		{"JSON array", "POST", "/social-login/google/", "application/json", `[1,2]`, 400},
		{"JSON null", "POST", "/auth/token/refresh/", "application/json", `null`, 400},
		{"two JSON objects", "POST", "/auth/logout/", "application/json", `{}{}`, 400},
		{"code not a string", "POST", "/social-login/google/", "application/json",
			`{"code":12}`, 400},
		{"refresh not a string", "POST", "/auth/token/refresh/", "application/json",
			`{"refresh":{"a":1}}`, 400},
		{"bad form escape", "POST", "/social-login/google/", "application/x-www-form-urlencoded",
			"code=%zz", 400},
		{"unknown content type", "POST", "/social-login/google/", "text/xml", "<code/>", 415},
		{"broken content type", "POST", "/auth/token/refresh/", "application/json; =;", "{}",
			415},
		{"multipart without boundary", "POST", "/social-login/google/", "multipart/form-data",
			"x", 400},
		{"truncated multipart", "POST", "/social-login/google/",
			"multipart/form-data; boundary=xx", "--xx\r\nContent-Disposition: form-data", 400},
		{"huge body", "POST", "/social-login/google/", "application/x-www-form-urlencoded",
			"code=" + strings.Repeat("a", 70_000), 413},
		{"wrong method", "GET", "/social-login/google/", "", "", 405},
		{"unknown path", "GET", "/admin/", "", "", 404},
		{"clock with garbage", "POST", "/_refserver/clock", "application/json",
			`{"advance":"soon"}`, 400},
		{"clock backwards", "POST", "/_refserver/clock", "application/json",
			`{"advance":"-1h"}`, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, refserver.Config{})

			resp := e.do(t, tc.method, tc.path, tc.contentType, tc.body, nil)

			assert.Equal(t, tc.status, resp.status, "%s", resp.body)
			assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
			assert.True(t, json.Valid(resp.body), "%s", resp.body)
		})
	}
}

func TestMultipartLogin(t *testing.T) {
	e := newEnv(t, refserver.Config{})
	body := "--xx\r\nContent-Disposition: form-data; name=\"code\"\r\n\r\n" + e.mintCode(t) +
		"\r\n--xx--\r\n"

	resp := e.do(t, http.MethodPost, "/social-login/google/", "multipart/form-data; boundary=xx",
		body, nil)

	assert.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
}

func TestHealthAndJWKS(t *testing.T) {
	tests := []struct {
		name      string
		algorithm string
		kty       string
	}{
		{name: "HS256 has no JWKS", algorithm: "HS256"},
		{name: "RS256", algorithm: "RS256", kty: "RSA"},
		{name: "EdDSA", algorithm: "EdDSA", kty: "OKP"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, refserver.Config{Algorithm: tc.algorithm})

			health := e.do(t, http.MethodGet, "/healthz", "", "", nil)
			jwks := e.do(t, http.MethodGet, "/auth/jwks/", "", "", nil)

			assert.JSONEq(t, `{"status":"ok"}`, string(health.body))
			if tc.kty == "" {
				assert.Equal(t, http.StatusNotFound, jwks.status)
				return
			}
			require.Equal(t, http.StatusOK, jwks.status)
			var set struct {
				Keys []map[string]any `json:"keys"`
			}
			require.NoError(t, json.Unmarshal(jwks.body, &set))
			require.Len(t, set.Keys, 1)
			assert.Equal(t, tc.kty, set.Keys[0]["kty"])
			assert.Equal(t, tc.algorithm, set.Keys[0]["alg"])
			tok := e.login(t)
			header := claimsOfHeader(t, tok.access)
			assert.Equal(t, set.Keys[0]["kid"], header["kid"])
			assert.Equal(t, http.StatusOK, e.getUser(t, tok.access).status)
			e.mustRefresh(t, tok.refresh)
		})
	}
}
