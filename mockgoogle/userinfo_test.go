package mockgoogle_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
)

// tokens exchanges a fresh code for req and returns the token response.
func tokens(t *testing.T, srv *mockgoogle.Server, req mockgoogle.CodeRequest) map[string]any {
	t.Helper()
	status, body := postForm(t, srv, "/token", exchangeForm(mintCode(t, srv, req)), "", "")
	require.Equal(t, http.StatusOK, status, body)
	return body
}

// userinfo calls a userinfo path with a bearer token.
func userinfo(t *testing.T, srv *mockgoogle.Server, path, token string) (
	int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL()+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, body := doResp(t, req)
	return resp.StatusCode, body, resp.Header
}

// TestUserinfo checks both userinfo paths, claims by scope, and refusals.
func TestUserinfo(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := newServer(t, mockgoogle.Config{Now: func() time.Time { return start }})
	full := tokens(t, srv, mockgoogle.CodeRequest{})["access_token"].(string)
	bare := tokens(t, srv, mockgoogle.CodeRequest{Scope: "openid"})["access_token"].(string)

	for _, path := range []string{"/v1/userinfo", "/oauth2/v3/userinfo"} {
		t.Run(path, func(t *testing.T) {
			status, body, _ := userinfo(t, srv, path, full)
			require.Equal(t, http.StatusOK, status)
			assert.Equal(t, map[string]any{
				"sub": "100000000000000000001", "email": "ada@example.com",
				"email_verified": true, "name": "Ada Lovelace", "given_name": "Ada",
				"family_name": "Lovelace", "picture": "https://example.com/ada.png",
				"locale": "en",
			}, body)

			status, body, _ = userinfo(t, srv, path, bare)
			require.Equal(t, http.StatusOK, status)
			assert.Equal(t, map[string]any{"sub": "100000000000000000001"}, body)

			status, body, header := userinfo(t, srv, path, "ya29.nope")
			assert.Equal(t, http.StatusUnauthorized, status)
			assert.Contains(t, header.Get("WWW-Authenticate"), `error="invalid_token"`)
			assert.Equal(t, "Invalid Credentials", body["error_description"])
		})
	}

	srv.Advance(time.Hour)
	status, _, _ := userinfo(t, srv, "/v1/userinfo", full)
	assert.Equal(t, http.StatusUnauthorized, status, "access tokens live an hour")
}

// TestTokeninfo checks tokeninfo for both token types: numbers and booleans as strings.
func TestTokeninfo(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := newServer(t, mockgoogle.Config{Now: func() time.Time { return start }})
	tok := tokens(t, srv, mockgoogle.CodeRequest{Nonce: "n1", AccessType: "offline"})

	status, info := getJSON(t, srv.URL()+"/tokeninfo?id_token="+
		url.QueryEscape(tok["id_token"].(string)))
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "true", info["email_verified"])
	assert.Equal(t, "1767323045", info["iat"])
	assert.Equal(t, "1767326645", info["exp"])
	assert.Equal(t, "n1", info["nonce"])
	assert.Equal(t, "RS256", info["alg"])
	assert.Equal(t, mockgoogle.DefaultClientID, info["aud"])
	assert.Equal(t, srv.URL(), info["iss"])

	status, info = getJSON(t, srv.URL()+"/tokeninfo?access_token="+
		url.QueryEscape(tok["access_token"].(string)))
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "3600", info["expires_in"])
	assert.Equal(t, "offline", info["access_type"])
	assert.Equal(t, "100000000000000000001", info["sub"])

	srv.Advance(time.Hour + time.Second)
	status, info = getJSON(t, srv.URL()+"/tokeninfo?id_token="+
		url.QueryEscape(tok["id_token"].(string)))
	assert.Equal(t, http.StatusBadRequest, status, "id_token expired on the server clock")
	assert.Equal(t, "invalid_token", info["error"])
}

// TestRevoke checks that revoking either token revokes the grant.
func TestRevoke(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	tests := []struct {
		name   string
		revoke string // the field of the token response to revoke
	}{
		{name: "access token", revoke: "access_token"},
		{name: "refresh token", revoke: "refresh_token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok := tokens(t, srv, mockgoogle.CodeRequest{AccessType: "offline"})
			form := url.Values{"token": {tok[tc.revoke].(string)}}

			status, _ := postForm(t, srv, "/revoke", form, "", "")
			require.Equal(t, http.StatusOK, status)

			status, _, _ = userinfo(t, srv, "/v1/userinfo", tok["access_token"].(string))
			assert.Equal(t, http.StatusUnauthorized, status)
			status, body := postForm(t, srv, "/token", url.Values{
				"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)},
			}, mockgoogle.DefaultClientID, mockgoogle.DefaultClientSecret)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, "invalid_grant", body["error"])
			status, body = postForm(t, srv, "/revoke", form, "", "")
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, "invalid_token", body["error"])
		})
	}
}
