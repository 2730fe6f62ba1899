package refserver_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// GraphQL operations the tests send, as a client of refserver's schema writes them.
const (
	gqlSignIn = `mutation SignIn($code: String!, $redirectUri: String, $verifier: String) {
  socialAuth(code: $code, redirectUri: $redirectUri, codeVerifier: $verifier) {
    accessToken
    refreshToken
    expiresIn
  }
}`
	gqlRefresh = `mutation Refresh($token: String!) {
  refreshToken(refreshToken: $token) { accessToken refreshToken expiresIn }
}`
	gqlRevoke = `mutation Logout($token: String!) { revokeToken(refreshToken: $token) }`
	gqlMe     = `query { me { pk email firstName lastName __typename } }`
)

// gqlAnswer is a GraphQL answer, decoded.
type gqlAnswer struct {
	response
	Data   map[string]json.RawMessage `json:"data"`
	Errors []gqlAnswerError           `json:"errors"`
	keys   map[string]json.RawMessage // the answer's top-level keys
}

// gqlAnswerError is one entry of an answer's errors.
type gqlAnswerError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Locations  []any          `json:"locations"`
	Extensions map[string]any `json:"extensions"`
}

// code returns the extensions.code of the first error, or "".
func (a gqlAnswer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	s, _ := a.Errors[0].Extensions["code"].(string)
	return s
}

// pair decodes the TokenPair answered under the data key field.
func (a gqlAnswer) pair(t testing.TB, field string) tokens {
	t.Helper()
	var p struct {
		AccessToken  string  `json:"accessToken"`
		RefreshToken *string `json:"refreshToken"`
	}
	require.NoError(t, json.Unmarshal(a.Data[field], &p), "%s", a.body)
	tok := tokens{access: p.AccessToken}
	if p.RefreshToken != nil {
		tok.refresh = *p.RefreshToken
	}
	return tok
}

// gql posts a GraphQL request, with a bearer access token unless access is empty.
func (e *env) gql(t testing.TB, query string, vars map[string]any, access string) gqlAnswer {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, err)
	return e.gqlRaw(t, "application/json", string(body), access)
}

// gqlRaw posts body to /graphql as it is and decodes the answer, which must be JSON.
func (e *env) gqlRaw(t testing.TB, contentType, body, access string) gqlAnswer {
	t.Helper()
	h := http.Header{}
	if access != "" {
		h.Set("Authorization", "Bearer "+access)
	}
	resp := e.do(t, http.MethodPost, "/graphql", contentType, body, h)
	a := gqlAnswer{response: resp}
	require.Equal(t, "application/json", resp.header.Get("Content-Type"), "%s", resp.body)
	require.NoError(t, json.Unmarshal(resp.body, &a), "%s", resp.body)
	require.NoError(t, json.Unmarshal(resp.body, &a.keys), "%s", resp.body)
	return a
}

// gqlLogin signs the default user in with socialAuth and requires success.
func (e *env) gqlLogin(t testing.TB) tokens {
	t.Helper()
	a := e.gql(t, gqlSignIn, map[string]any{"code": e.mintCode(t)}, "")
	require.Empty(t, a.Errors, "%s", a.body)
	return a.pair(t, "socialAuth")
}

// gqlRefreshToken rotates refresh with the refreshToken mutation.
func (e *env) gqlRefreshToken(t testing.TB, refresh string) gqlAnswer {
	t.Helper()
	return e.gql(t, gqlRefresh, map[string]any{"token": refresh}, "")
}
