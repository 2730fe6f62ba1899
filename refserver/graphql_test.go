package refserver_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
)

func TestGraphQLSession(t *testing.T) {
	e := newEnv(t, refserver.Config{})
	tok := e.gqlLogin(t)

	me := e.gql(t, gqlMe, nil, tok.access)
	rotated := e.gqlRefreshToken(t, tok.refresh)
	reused := e.gqlRefreshToken(t, tok.refresh)

	require.Empty(t, me.Errors, "%s", me.body)
	assert.JSONEq(t, `{"pk":"1","email":"ada@example.com","firstName":"Ada",`+
		`"lastName":"Lovelace","__typename":"User"}`, string(me.Data["me"]))
	require.Empty(t, rotated.Errors, "%s", rotated.body)
	assert.Equal(t, "no-store", rotated.header.Get("Cache-Control"))
	next := rotated.pair(t, "refreshToken")
	assert.NotEqual(t, tok.refresh, next.refresh)
	assert.Equal(t, http.StatusOK, reused.status)
	assert.Equal(t, "TOKEN_NOT_VALID", reused.code(), "%s", reused.body)
	assert.Equal(t, "Token is blacklisted", reused.Errors[0].Message)
	assert.Equal(t, []any{"refreshToken"}, reused.Errors[0].Path)
	assert.JSONEq(t, `null`, string(reused.Data["refreshToken"]))
	after := e.gqlRefreshToken(t, next.refresh)
	assert.Equal(t, "TOKEN_NOT_VALID", after.code(), "reuse revokes the family: %s", after.body)
}

func TestGraphQLSignInAnswer(t *testing.T) {
	e := newEnv(t, refserver.Config{})

	a := e.gql(t, gqlSignIn, map[string]any{"code": e.mintCode(t), "verifier": nil}, "")

	require.Empty(t, a.Errors, "%s", a.body)
	var pair struct {
		AccessToken, RefreshToken string
		ExpiresIn                 int64
	}
	require.NoError(t, json.Unmarshal(a.Data["socialAuth"], &pair))
	assert.Equal(t, int64(300), pair.ExpiresIn)
	assert.Equal(t, "access", claimsOf(t, pair.AccessToken)["token_type"])
	assert.Equal(t, "refresh", claimsOf(t, pair.RefreshToken)["token_type"])
	assert.Equal(t, "no-store", a.header.Get("Cache-Control"))
	assert.Equal(t, http.StatusOK, e.getUser(t, pair.AccessToken).status,
		"GraphQL and REST share their tokens")
}

func TestGraphQLLogout(t *testing.T) {
	e := newEnv(t, refserver.Config{})
	tok := e.gqlLogin(t)

	out := e.gql(t, gqlRevoke, map[string]any{"token": tok.refresh}, tok.access)
	again := e.gql(t, gqlRevoke, map[string]any{"token": tok.refresh}, "")

	require.Empty(t, out.Errors, "%s", out.body)
	assert.JSONEq(t, `{"revokeToken":true}`, string(out.keys["data"]))
	assert.Empty(t, again.Errors, "logging out of a revoked session succeeds: %s", again.body)
	assert.Equal(t, "TOKEN_NOT_VALID", e.gqlRefreshToken(t, tok.refresh).code())
}

func TestGraphQLRefused(t *testing.T) {
	tests := []struct {
		name    string
		query   string
		vars    map[string]any
		access  string
		code    string
		message string
	}{
		{name: "me without token", query: gqlMe, code: "UNAUTHENTICATED",
			message: "Authentication credentials were not provided."},
		{name: "me with garbage", query: gqlMe, access: "garbage", code: "UNAUTHENTICATED",
			message: "Token is invalid or expired"},
		{name: "refresh garbage", query: gqlRefresh, vars: map[string]any{"token": "a.b.c"},
			code: "TOKEN_NOT_VALID", message: "Token is invalid or expired"},
		{name: "refresh blank", query: gqlRefresh, vars: map[string]any{"token": ""},
			code: "BAD_USER_INPUT", message: "refreshToken: This field may not be blank."},
		{name: "unknown code", query: gqlSignIn, vars: map[string]any{"code": "4/nope"},
			code: "BAD_USER_INPUT", message: "Google refused the authorization code."},
		{name: "revoke garbage", query: gqlRevoke, vars: map[string]any{"token": "x"},
			code: "TOKEN_NOT_VALID", message: "Token is invalid or expired"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, refserver.Config{})

			a := e.gql(t, tc.query, tc.vars, tc.access)

			assert.Equal(t, http.StatusOK, a.status, "%s", a.body)
			require.Len(t, a.Errors, 1, "%s", a.body)
			assert.Equal(t, tc.code, a.code())
			assert.Equal(t, tc.message, a.Errors[0].Message)
			assert.NotEmpty(t, a.Errors[0].Locations)
			assert.Contains(t, a.keys, "data", "executed operations answer data")
		})
	}
}

func TestGraphQLRefreshTokenAsAccessRefused(t *testing.T) {
	e := newEnv(t, refserver.Config{})
	tok := e.gqlLogin(t)

	me := e.gql(t, gqlMe, nil, tok.refresh)
	refresh := e.gqlRefreshToken(t, tok.access)

	assert.Equal(t, "UNAUTHENTICATED", me.code(), "%s", me.body)
	assert.Equal(t, "Token has wrong type", me.Errors[0].Message)
	assert.Equal(t, "TOKEN_NOT_VALID", refresh.code(), "%s", refresh.body)
}

func TestGraphQLGoogleDown(t *testing.T) {
	e := newEnv(t, refserver.Config{})
	code := e.mintCode(t)
	e.google.FailNext(mockgoogle.Fault{Endpoint: mockgoogle.EndpointToken,
		Status: http.StatusServiceUnavailable, Code: code})

	a := e.gql(t, gqlSignIn, map[string]any{"code": code}, "")

	assert.Equal(t, "SERVICE_UNAVAILABLE", a.code(), "%s", a.body)
}

func TestGraphQLSchemaServed(t *testing.T) {
	e := newEnv(t, refserver.Config{})

	resp := e.do(t, http.MethodGet, "/graphql/schema.graphql", "", "", nil)

	require.Equal(t, http.StatusOK, resp.status)
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql",
		Input: string(resp.body)})
	require.NoError(t, err)
	assert.NotNil(t, schema.Mutation.Fields.ForName("socialAuth"))
	assert.NotNil(t, schema.Query.Fields.ForName("me"))
}

func TestGraphQLIntrospection(t *testing.T) {
	e := newEnv(t, refserver.Config{})

	a := e.gql(t, `{
  __schema { queryType { name } mutationType { name } subscriptionType { name } }
  pair: __type(name: "TokenPair") {
    kind name
    fields { name type { kind name ofType { kind name } } }
  }
  mutation: __type(name: "Mutation") {
    fields { name args { name defaultValue type { kind ofType { name } } } }
  }
  nope: __type(name: "Nope") { name }
}`, nil, "")

	require.Empty(t, a.Errors, "%s", a.body)
	assert.JSONEq(t, `{"queryType":{"name":"Query"},"mutationType":{"name":"Mutation"},`+
		`"subscriptionType":null}`, string(a.Data["__schema"]))
	assert.JSONEq(t, `{"kind":"OBJECT","name":"TokenPair","fields":[
		{"name":"accessToken","type":{"kind":"NON_NULL","name":null,
			"ofType":{"kind":"SCALAR","name":"String"}}},
		{"name":"refreshToken","type":{"kind":"SCALAR","name":"String","ofType":null}},
		{"name":"expiresIn","type":{"kind":"NON_NULL","name":null,
			"ofType":{"kind":"SCALAR","name":"Int"}}}]}`, string(a.Data["pair"]))
	assert.Contains(t, string(a.Data["mutation"]), `{"name":"code","defaultValue":null,`+
		`"type":{"kind":"NON_NULL","ofType":{"name":"String"}}}`)
	assert.JSONEq(t, `null`, string(a.Data["nope"]))
}

func TestGraphQLSchemaOnlyOnGET(t *testing.T) {
	e := newEnv(t, refserver.Config{})

	resp := e.do(t, http.MethodPost, "/graphql/schema.graphql", "", "", nil)
	get := e.do(t, http.MethodGet, "/graphql", "", "", nil)

	assert.Equal(t, http.StatusMethodNotAllowed, resp.status)
	assert.Equal(t, http.StatusMethodNotAllowed, get.status)
	assert.Equal(t, "POST", get.header.Get("Allow"))
}
