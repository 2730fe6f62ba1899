package scenarios

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// graphqlBackend answers every request with answer and keeps the requests' bodies.
type graphqlBackend struct {
	status int
	answer string
	bodies []map[string]any
	header http.Header
}

func (b *graphqlBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	data, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(data, &body)
	b.bodies = append(b.bodies, body)
	b.header = r.Header.Clone()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(b.status)
	_, _ = io.WriteString(w, b.answer)
}

// newGraphQLClient is a Client of the graphql built-in aimed at b.
func newGraphQLClient(t *testing.T, b *graphqlBackend) (*Client, *Log) {
	t.Helper()
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	p := graphqlProfile()
	p.BaseURL = srv.URL
	log := &Log{}
	return NewClient(p, ClientConfig{Recorder: log, Timeout: 5 * time.Second}), log
}

func TestClientGraphQLWire(t *testing.T) {
	b := &graphqlBackend{status: 200, answer: `{"data":{"socialAuth":{"accessToken":` +
		`"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln","refreshToken":"r-1","expiresIn":300}}}`}
	c, log := newGraphQLClient(t, b)

	resp, err := c.Exchange(t.Context(), Grant{Code: "4/0AX-test"}, EncodingForm)

	require.NoError(t, err)
	require.Len(t, b.bodies, 1)
	assert.Equal(t, graphqlProfile().GraphQL.Login.Document, b.bodies[0]["query"])
	assert.Equal(t, map[string]any{"code": "4/0AX-test",
		"redirectUri": "http://localhost:3000/login"}, b.bodies[0]["variables"],
		"no codeVerifier without PKCE")
	assert.Equal(t, "application/json", b.header.Get("Content-Type"))
	assert.Equal(t, http.StatusOK, resp.Status)
	assert.Equal(t, Tokens{Access: "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln", Refresh: "r-1"},
		resp.Tokens)
	assert.Equal(t, []string{"accessToken", "expiresIn", "refreshToken"}, resp.Keys())
	require.NotNil(t, resp.GraphQL)
	assert.Empty(t, resp.GraphQL.Errors)
	x := log.Exchanges()[0]
	assert.NotContains(t, x.RequestBody, "4/0AX-test", "the code is fingerprinted")
	assert.NotContains(t, x.ResponseBody, "r-1", "the refresh token is fingerprinted")

	_, err = c.User(t.Context(), "a.b.c")
	require.NoError(t, err)
	assert.Equal(t, "Bearer a.b.c", b.header.Get("Authorization"))
	assert.Nil(t, b.bodies[1]["variables"], "me takes no variables")
}

func TestClientGraphQLRefusal(t *testing.T) {
	b := &graphqlBackend{status: 200, answer: `{"data":{"refreshToken":null},"errors":[` +
		`{"message":"Token is blacklisted","path":["refreshToken"],` +
		`"extensions":{"code":"TOKEN_NOT_VALID"}}]}`}
	c, log := newGraphQLClient(t, b)

	resp, err := c.Refresh(t.Context(), "r-1")

	require.NoError(t, err)
	assert.Equal(t, map[string]any{"refreshToken": "r-1"}, b.bodies[0]["variables"])
	assert.Equal(t, http.StatusUnauthorized, resp.Status)
	assert.Equal(t, &GraphQLAnswer{HTTPStatus: 200, Errors: []GraphQLError{{
		Message: "Token is blacklisted", Code: "TOKEN_NOT_VALID", Path: "refreshToken"}}},
		resp.GraphQL)
	assert.Nil(t, resp.JSON)
	assert.Contains(t, log.Exchanges()[0].ResponseBody, `"code":"TOKEN_NOT_VALID"`,
		"error codes are not mistaken for secrets")
	env := &Env{Client: c}
	assert.Contains(t, env.Describe(resp), "401 (HTTP 200) {")
}

func TestGraphQLStatus(t *testing.T) {
	refused := GraphQLRefused{Codes: []string{"TOKEN_NOT_VALID"},
		Messages: []string{"signature has expired"}}
	errs := func(code, msg string) []GraphQLError {
		return []GraphQLError{{Code: code, Message: msg}}
	}
	user := map[string]any{"pk": "1"}
	tests := []struct {
		name   string
		op     string
		http   int
		errs   []GraphQLError
		result any
		want   int
	}{
		{"answer", opLogin, 200, nil, map[string]any{}, 200},
		{"HTTP error kept", opRefresh, 400, errs("TOKEN_NOT_VALID", ""), nil, 400},
		{"refused code", opRefresh, 200, errs("token_not_valid", ""), nil, 401},
		{"refused message", opRefresh, 200, errs("", "Signature has expired"), nil, 401},
		{"bad user input", opLogin, 200, errs("BAD_USER_INPUT", ""), nil, 400},
		{"unauthenticated", opUser, 200, errs("UNAUTHENTICATED", ""), nil, 401},
		{"forbidden", opUser, 200, errs("FORBIDDEN", ""), nil, 403},
		{"unavailable", opLogin, 200, errs("SERVICE_UNAVAILABLE", ""), nil, 503},
		{"internal", opLogin, 200, errs("INTERNAL_SERVER_ERROR", ""), nil, 500},
		{"unknown code", opLogin, 200, errs("OOPS", ""), nil, 500},
		{"no code", opRefresh, 200, errs("", "NoneType has no attribute"), nil, 500},
		{"anonymous user", opUser, 200, nil, nil, 401},
		{"user", opUser, 200, nil, user, 200},
		{"logout false", opLogout, 200, nil, false, 400},
		{"logout null", opLogout, 200, nil, nil, 400},
		{"logout true", opLogout, 200, nil, true, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := &GraphQL{Refused: refused}

			got := g.status(tc.op, &GraphQLAnswer{HTTPStatus: tc.http, Errors: tc.errs},
				tc.result)

			assert.Equal(t, tc.want, got)
		})
	}
}

func TestSubstitute(t *testing.T) {
	vars := map[string]any{
		"input": map[string]any{"code": "{code}", "codeVerifier": "{code_verifier}",
			"scopes": []any{"openid", "{client_id}"}},
		"literal": 3,
		"text":    "{not a placeholder}",
	}

	got := substitute(vars, map[string]string{"{code}": "c", "{client_id}": "id"})

	assert.Equal(t, map[string]any{
		"input":   map[string]any{"code": "c", "scopes": []any{"openid", "id"}},
		"literal": 3,
		"text":    "{not a placeholder}",
	}, got)
}
