package mockgoogle_test

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/authprobe/authprobe/mockgoogle"
)

// twoClients is a config with the default client and another one.
func twoClients() mockgoogle.Config {
	return mockgoogle.Config{Clients: []mockgoogle.Client{
		mockgoogle.DefaultClient(),
		{ID: "other-client", Secret: "other-secret"},
	}}
}

// pkceVerifier is a valid PKCE verifier for tests that mint codes with a challenge.
const pkceVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

// TestTokenErrors checks every token endpoint error against Google's status and body.
func TestTokenErrors(t *testing.T) {
	srv := newServer(t, twoClients())
	code := func(req mockgoogle.CodeRequest) string { return mintCode(t, srv, req) }
	offline := mockgoogle.CodeRequest{AccessType: "offline"}
	otherRefresh := func() string {
		form := exchangeForm(code(mockgoogle.CodeRequest{
			ClientID: "other-client", AccessType: "offline"}))
		form.Set("client_id", "other-client")
		form.Set("client_secret", "other-secret")
		status, body := postForm(t, srv, "/token", form, "", "")
		require.Equal(t, http.StatusOK, status, body)
		return body["refresh_token"].(string)
	}
	refreshForm := func(token string) url.Values {
		form := exchangeForm("")
		form.Del("code")
		form.Del("redirect_uri")
		form.Set("grant_type", "refresh_token")
		form.Set("refresh_token", token)
		return form
	}
	with := func(form url.Values, k, v string) url.Values {
		if v == "" {
			form.Del(k)
		} else {
			form.Set(k, v)
		}
		return form
	}
	challenged := mockgoogle.CodeRequest{
		CodeChallenge:       oauth2.S256ChallengeFromVerifier(pkceVerifier),
		CodeChallengeMethod: "S256",
	}

	tests := []struct {
		name       string
		form       url.Values
		wantStatus int
		wantError  string
		wantDesc   string
	}{
		{"unknown client", with(exchangeForm(code(offline)), "client_id", "nope"),
			401, "invalid_client", "The OAuth client was not found."},
		{"wrong secret", with(exchangeForm(code(offline)), "client_secret", "nope"),
			401, "invalid_client", "Unauthorized"},
		{"missing client id", with(exchangeForm(code(offline)), "client_id", ""),
			400, "invalid_request", "Could not determine client ID from request."},
		{"missing secret", with(exchangeForm(code(offline)), "client_secret", ""),
			400, "invalid_request", "client_secret is missing."},
		{"missing code", exchangeForm(""),
			400, "invalid_request", "Missing required parameter: code"},
		{"missing redirect_uri", with(exchangeForm(code(offline)), "redirect_uri", ""),
			400, "invalid_request", "Missing parameter: redirect_uri"},
		{"malformed code", exchangeForm("not-a-google-code"),
			400, "invalid_grant", "Malformed auth code."},
		{"unknown code", exchangeForm("4/0" + pkceVerifier),
			400, "invalid_grant", "Bad Request"},
		{"redirect_uri mismatch",
			with(exchangeForm(code(offline)), "redirect_uri", "http://localhost:3000/other"),
			400, "redirect_uri_mismatch", "Bad Request"},
		{"code of another client",
			exchangeForm(code(mockgoogle.CodeRequest{ClientID: "other-client"})),
			400, "invalid_grant", "Bad Request"},
		{"unsupported grant type", with(exchangeForm(code(offline)), "grant_type", "password"),
			400, "unsupported_grant_type", "Invalid grant_type: password"},
		{"missing grant type", with(exchangeForm(code(offline)), "grant_type", ""),
			400, "unsupported_grant_type", "Invalid grant_type: "},
		{"missing code verifier", exchangeForm(code(challenged)),
			400, "invalid_grant", "Missing code verifier."},
		{"wrong code verifier",
			with(exchangeForm(code(challenged)), "code_verifier", pkceVerifier+"x"),
			400, "invalid_grant", "Invalid code verifier."},
		{"missing refresh token", refreshForm(""),
			400, "invalid_request", "Missing required parameter: refresh_token"},
		{"unknown refresh token", refreshForm("1//0nope"),
			400, "invalid_grant", "Token has been expired or revoked."},
		{"refresh token of another client", refreshForm(otherRefresh()),
			401, "unauthorized_client", "Unauthorized"},
		{"duplicated code", url.Values{
			"grant_type": {"authorization_code"}, "code": {"a", "b"},
			"client_id": {mockgoogle.DefaultClientID}},
			400, "invalid_request", "Duplicate parameter: code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := postForm(t, srv, "/token", tc.form, "", "")

			assert.Equal(t, tc.wantStatus, status)
			assert.Equal(t, tc.wantError, body["error"])
			assert.Equal(t, tc.wantDesc, body["error_description"])
		})
	}
}

// TestTokenErrorsThroughOAuth2 checks that x/oauth2 sees Google's errors as Google's.
func TestTokenErrorsThroughOAuth2(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	tests := []struct {
		name       string
		conf       func(*oauth2.Config)
		code       func(t *testing.T) string
		opts       []oauth2.AuthCodeOption
		wantStatus int
		wantCode   string
	}{
		{name: "wrong secret", conf: func(c *oauth2.Config) { c.ClientSecret = "nope" },
			wantStatus: 401, wantCode: "invalid_client"},
		{name: "unknown client", conf: func(c *oauth2.Config) { c.ClientID = "nope" },
			wantStatus: 401, wantCode: "invalid_client"},
		{name: "redirect mismatch",
			conf:       func(c *oauth2.Config) { c.RedirectURL = "http://127.0.0.1:1/cb" },
			wantStatus: 400, wantCode: "redirect_uri_mismatch"},
		{name: "reused code", code: func(t *testing.T) string {
			code := mintCode(t, srv, mockgoogle.CodeRequest{})
			_, err := oauthConfig(srv, oauth2.AuthStyleInParams).Exchange(t.Context(), code)
			require.NoError(t, err)
			return code
		}, wantStatus: 400, wantCode: "invalid_grant"},
		{name: "missing verifier", code: func(t *testing.T) string {
			return mintCode(t, srv, mockgoogle.CodeRequest{
				CodeChallenge:       oauth2.S256ChallengeFromVerifier(pkceVerifier),
				CodeChallengeMethod: "S256",
			})
		}, wantStatus: 400, wantCode: "invalid_grant"},
		{name: "wrong verifier", code: func(t *testing.T) string {
			return mintCode(t, srv, mockgoogle.CodeRequest{
				CodeChallenge:       oauth2.S256ChallengeFromVerifier(pkceVerifier),
				CodeChallengeMethod: "S256",
			})
		}, opts: []oauth2.AuthCodeOption{oauth2.VerifierOption(oauth2.GenerateVerifier())},
			wantStatus: 400, wantCode: "invalid_grant"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conf := oauthConfig(srv, oauth2.AuthStyleInHeader)
			if tc.conf != nil {
				tc.conf(conf)
			}
			code := mintCode(t, srv, mockgoogle.CodeRequest{})
			if tc.code != nil {
				code = tc.code(t)
			}

			_, err := conf.Exchange(t.Context(), code, tc.opts...)

			var rerr *oauth2.RetrieveError
			require.True(t, errors.As(err, &rerr), "err %v", err)
			assert.Equal(t, tc.wantStatus, rerr.Response.StatusCode)
			assert.Equal(t, tc.wantCode, rerr.ErrorCode)
		})
	}
}

// TestCodeSingleUse checks that a second exchange fails and revokes the first one's tokens.
func TestCodeSingleUse(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	code := mintCode(t, srv, mockgoogle.CodeRequest{AccessType: "offline"})

	status, first := postForm(t, srv, "/token", exchangeForm(code), "", "")
	require.Equal(t, http.StatusOK, status)
	status, second := postForm(t, srv, "/token", exchangeForm(code), "", "")

	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", second["error"])
	req, err := http.NewRequest(http.MethodGet, srv.URL()+"/v1/userinfo", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+first["access_token"].(string))
	status, _ = do(t, req)
	assert.Equal(t, http.StatusUnauthorized, status, "access token of a replayed code")
	status, _ = postForm(t, srv, "/token", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {first["refresh_token"].(string)},
	}, mockgoogle.DefaultClientID, mockgoogle.DefaultClientSecret)
	assert.Equal(t, http.StatusBadRequest, status, "refresh token of a replayed code")
}

// TestCodeLifetime checks that codes live ten minutes on the server's clock.
func TestCodeLifetime(t *testing.T) {
	tests := []struct {
		name       string
		advance    time.Duration
		wantStatus int
	}{
		{name: "just in time", advance: 10 * time.Minute, wantStatus: http.StatusOK},
		{name: "expired", advance: 10*time.Minute + time.Second,
			wantStatus: http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			srv := newServer(t, mockgoogle.Config{Now: func() time.Time { return start }})
			code := mintCode(t, srv, mockgoogle.CodeRequest{})

			srv.Advance(tc.advance)
			status, _ := postForm(t, srv, "/token", exchangeForm(code), "", "")

			assert.Equal(t, tc.wantStatus, status)
		})
	}
}

// TestTokenResponse checks the answer's fields and JSON types, and that refresh tokens
// come only with offline access and are never rotated.
func TestTokenResponse(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})

	status, online := postForm(t, srv, "/token",
		exchangeForm(mintCode(t, srv, mockgoogle.CodeRequest{Scope: "email"})), "", "")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, 3599.0, online["expires_in"], "expires_in is a JSON number of seconds")
	assert.Equal(t, "Bearer", online["token_type"])
	assert.Equal(t, "https://www.googleapis.com/auth/userinfo.email", online["scope"])
	assert.NotContains(t, online, "refresh_token")
	assert.NotContains(t, online, "id_token", "no id_token without openid")

	code := mintCode(t, srv, mockgoogle.CodeRequest{AccessType: "offline"})
	status, offline := postForm(t, srv, "/token", exchangeForm(code), "", "")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, offline, "refresh_token")
	assert.Contains(t, offline, "id_token")

	form := url.Values{"grant_type": {"refresh_token"},
		"refresh_token": {offline["refresh_token"].(string)}}
	for range 2 {
		status, refreshed := postForm(t, srv, "/token", form,
			mockgoogle.DefaultClientID, mockgoogle.DefaultClientSecret)
		require.Equal(t, http.StatusOK, status)
		assert.NotContains(t, refreshed, "refresh_token", "Google does not rotate")
		assert.NotEqual(t, offline["access_token"], refreshed["access_token"])
		assert.Contains(t, refreshed, "id_token")
	}
}

// TestPKCEPlain checks the plain method, the default when no method is named.
func TestPKCEPlain(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	code := mintCode(t, srv, mockgoogle.CodeRequest{CodeChallenge: pkceVerifier})

	form := exchangeForm(code)
	form.Set("code_verifier", pkceVerifier)
	status, body := postForm(t, srv, "/token", form, "", "")

	assert.Equal(t, http.StatusOK, status, body)
}

// TestIDTokenClaims checks the id_token's claims on the server's clock.
func TestIDTokenClaims(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := newServer(t, mockgoogle.Config{Now: func() time.Time { return start }})
	srv.Advance(time.Minute)

	tok := tokens(t, srv, mockgoogle.CodeRequest{Nonce: "n-1"})
	claims := idTokenClaims(t, tok["id_token"])

	iat := float64(start.Add(time.Minute).Unix())
	assert.Equal(t, map[string]any{
		"iss": srv.URL(), "azp": mockgoogle.DefaultClientID, "aud": mockgoogle.DefaultClientID,
		"sub": "100000000000000000001", "email": "ada@example.com", "email_verified": true,
		"at_hash": claims["at_hash"], "nonce": "n-1", "iat": iat, "exp": iat + 3600,
		"name": "Ada Lovelace", "given_name": "Ada", "family_name": "Lovelace",
		"picture": "https://example.com/ada.png", "locale": "en",
	}, claims)
	assert.Len(t, claims["at_hash"], 22, "left half of SHA-256, base64url")
}
