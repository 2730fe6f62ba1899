package refserver_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
)

var jtiPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestLoginNuxtForm(t *testing.T) {
	e := newEnv(t, refserver.Config{})

	resp := e.postForm(t, "/social-login/google/", exchangeBody(e.mintCode(t)))

	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	assert.Equal(t, "no-store", resp.header.Get("Cache-Control"))
	body := resp.object(t)
	assert.Equal(t, body["access_token"], body["access"])
	assert.Equal(t, body["refresh_token"], body["refresh"])
	assert.InDelta(t, 300, body["expires_in"], 1)

	access := claimsOf(t, resp.str(t, "access_token"))
	refresh := claimsOf(t, resp.str(t, "refresh_token"))
	assert.Equal(t, "access", access["token_type"])
	assert.Equal(t, "refresh", refresh["token_type"])
	assert.Equal(t, int64(300), claimInt(t, access, "exp")-claimInt(t, access, "iat"))
	assert.Equal(t, int64(720*3600), claimInt(t, refresh, "exp")-claimInt(t, refresh, "iat"))
	assert.Regexp(t, jtiPattern, access["jti"])
	assert.Regexp(t, jtiPattern, refresh["jti"])
	assert.NotEqual(t, access["jti"], refresh["jti"])
	assert.Equal(t, claimInt(t, access, "user_id"), claimInt(t, refresh, "user_id"))
}

func TestLoginJSONAndUser(t *testing.T) {
	e := newEnv(t, refserver.Config{})

	resp := e.postJSON(t, "/social-login/google/", map[string]string{
		"code": e.mintCode(t), "redirect_uri": testRedirect})
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	user := e.getUser(t, resp.str(t, "access"))

	require.Equal(t, http.StatusOK, user.status, "%s", user.body)
	assert.JSONEq(t, `{"pk":1,"email":"ada@example.com","first_name":"Ada",
		"last_name":"Lovelace"}`, string(user.body))
}

func TestLoginSameUserTwice(t *testing.T) {
	e := newEnv(t, refserver.Config{})

	first, second := e.login(t), e.login(t)

	assert.NotEqual(t, first.refresh, second.refresh)
	assert.Equal(t, claimsOf(t, first.access)["user_id"], claimsOf(t, second.access)["user_id"])
}

func TestLoginPKCE(t *testing.T) {
	const verifier = "0123456789abcdef0123456789abcdef0123456789abcdef01234567"
	e := newEnv(t, refserver.Config{})
	code, err := e.google.MintCode(mockgoogle.CodeRequest{ClientID: "authprobe-client",
		RedirectURI: testRedirect, CodeChallenge: verifier, CodeChallengeMethod: "plain"})
	require.NoError(t, err)

	resp := e.postForm(t, "/social-login/google/", exchangeBody(code)+"&code_verifier="+verifier)

	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	var tokenCalls int
	for _, r := range e.google.Requests() {
		if r.Endpoint == mockgoogle.EndpointToken {
			tokenCalls++
			assert.True(t, r.HasField("code_verifier"))
		}
	}
	assert.Equal(t, 1, tokenCalls)
}

func TestLoginRefused(t *testing.T) {
	tests := []struct {
		name   string
		style  string
		setup  func(t *testing.T, e *env) string // returns the body
		status int
		body   string
	}{
		{
			name:   "unknown code",
			setup:  func(*testing.T, *env) string { return exchangeBody("4/unknown") },
			status: http.StatusBadRequest,
			body:   `{"non_field_errors":["Google refused the authorization code."]}`,
		},
		{
			name:   "unknown code rfc6749",
			style:  "rfc6749",
			setup:  func(*testing.T, *env) string { return exchangeBody("4/unknown") },
			status: http.StatusBadRequest,
			body: `{"error":"invalid_grant",
				"error_description":"Google refused the authorization code."}`,
		},
		{
			name: "used code",
			setup: func(t *testing.T, e *env) string {
				code := e.mintCode(t)
				resp := e.postForm(t, "/social-login/google/", exchangeBody(code))
				require.Equal(t, http.StatusOK, resp.status)
				return exchangeBody(code)
			},
			status: http.StatusBadRequest,
			body:   `{"non_field_errors":["Google refused the authorization code."]}`,
		},
		{
			name: "google token endpoint down",
			setup: func(t *testing.T, e *env) string {
				code := e.mintCode(t)
				e.google.FailNext(mockgoogle.Fault{Endpoint: mockgoogle.EndpointToken,
					Status: http.StatusServiceUnavailable, Code: code})
				return exchangeBody(code)
			},
			status: http.StatusBadGateway,
			body:   `{"detail":"Google could not be reached.","code":"google_unavailable"}`,
		},
		{
			name: "google userinfo malformed",
			setup: func(t *testing.T, e *env) string {
				e.google.FailNext(mockgoogle.Fault{Endpoint: mockgoogle.EndpointUserinfo,
					Kind: mockgoogle.FaultMalformedJSON})
				return exchangeBody(e.mintCode(t))
			},
			status: http.StatusBadGateway,
			body:   `{"detail":"Google could not be reached.","code":"google_unavailable"}`,
		},
		{
			name: "google discovery down",
			setup: func(t *testing.T, e *env) string {
				e.google.FailNext(mockgoogle.Fault{Endpoint: mockgoogle.EndpointDiscovery,
					Status: http.StatusInternalServerError})
				return exchangeBody(e.mintCode(t))
			},
			status: http.StatusBadGateway,
			body:   `{"detail":"Google could not be reached.","code":"google_unavailable"}`,
		},
		{
			name:   "no code",
			setup:  func(*testing.T, *env) string { return "client_id=x&audience&grant_type" },
			status: http.StatusBadRequest,
			body:   `{"code":["This field is required."]}`,
		},
		{
			name:   "blank code",
			setup:  func(*testing.T, *env) string { return "code=&grant_type" },
			status: http.StatusBadRequest,
			body:   `{"code":["This field may not be blank."]}`,
		},
		{
			name:   "unsupported grant type",
			setup:  func(*testing.T, *env) string { return "grant_type=password&code=x" },
			status: http.StatusBadRequest,
			body:   `{"grant_type":["Unsupported grant type."]}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, refserver.Config{ErrorStyle: tc.style})

			resp := e.postForm(t, "/social-login/google/", tc.setup(t, e))

			assert.Equal(t, tc.status, resp.status)
			assert.JSONEq(t, tc.body, string(resp.body))
		})
	}
}

func TestLoginAfterGoogleRecovers(t *testing.T) {
	e := newEnv(t, refserver.Config{})
	e.google.FailNext(mockgoogle.Fault{Endpoint: mockgoogle.EndpointDiscovery,
		Status: http.StatusServiceUnavailable})

	down := e.postForm(t, "/social-login/google/", exchangeBody(e.mintCode(t)))
	up := e.postForm(t, "/social-login/google/", exchangeBody(e.mintCode(t)))

	assert.Equal(t, http.StatusBadGateway, down.status)
	assert.Equal(t, http.StatusOK, up.status, "%s", up.body)
}
