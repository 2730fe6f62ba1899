package refserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/refserver"
)

// deepQuery is a query nesting ofType n levels under __type, escaped for a JSON string.
func deepQuery(n int) string {
	return `{ __type(name: \"User\") { ` + strings.Repeat("ofType { ", n) + "name" +
		strings.Repeat(" }", n) + " } }"
}

// wideQuery asks n aliases of a whole-schema introspection, a few hundred fields each.
func wideQuery(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: __schema { ...S }", i)
	}
	b.WriteString(" } fragment S on __Schema { types { name kind fields { name args { name } " +
		"type { name kind ofType { name } } } } }")
	return b.String()
}

func TestGraphQLMalformed(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		code        string
		message     string // a part of the first error's message
	}{
		{name: "bad JSON", contentType: "application/json", body: `{"query": "{ me {`,
			status: 400, code: "BAD_REQUEST", message: "JSON parse error."},
		{name: "not JSON at all", contentType: "", body: `query { me { pk } }`,
			status: 400, code: "BAD_REQUEST"},
		{name: "trailing data", contentType: "application/json",
			body: `{"query":"{ me { pk } }"} {}`, status: 400, code: "BAD_REQUEST"},
		{name: "batch", contentType: "application/json", body: `[{"query":"{ me { pk } }"}]`,
			status: 400, code: "BAD_REQUEST", message: "batches are not supported"},
		{name: "query not a string", contentType: "application/json", body: `{"query": 5}`,
			status: 400, code: "BAD_REQUEST", message: "query must be a string"},
		{name: "variables not an object", contentType: "application/json",
			body: `{"query": "{ me { pk } }", "variables": [1]}`, status: 400,
			code: "BAD_REQUEST", message: "variables must be an object or null"},
		{name: "no query", contentType: "application/json", body: `{"variables": {}}`,
			status: 400, code: "BAD_REQUEST", message: "no query"},
		{name: "form body", contentType: "application/x-www-form-urlencoded",
			body: "query=%7B%7D", status: 415, code: "BAD_REQUEST"},
		{name: "body over 64 KiB", contentType: "application/json",
			body:   `{"query":"` + strings.Repeat(" ", 70<<10) + `{ me { pk } }"}`,
			status: 413, code: "BAD_REQUEST", message: "too large"},
		{name: "query over 8 KiB", contentType: "application/json",
			body:   `{"query":"` + strings.Repeat(" ", 9<<10) + `{ me { pk } }"}`,
			status: 400, code: "BAD_REQUEST", message: "longer than 8192 bytes"},
		{name: "too many tokens", contentType: "application/json",
			body:   `{"query":"{ ` + strings.Repeat("me{pk}", 400) + `}"}`,
			status: 400, code: "GRAPHQL_PARSE_FAILED", message: "token limit"},
		{name: "syntax error", contentType: "application/json",
			body:   `{"query":"mutation { socialAuth(code: ) { accessToken } }"}`,
			status: 400, code: "GRAPHQL_PARSE_FAILED", message: "Unexpected )"},
		{name: "deep nesting", contentType: "application/json",
			body:   `{"query":"` + deepQuery(20) + `"}`,
			status: 400, code: "GRAPHQL_VALIDATION_FAILED", message: "limit is 15"},
		{name: "very deep nesting", contentType: "application/json",
			body:   `{"query":"` + deepQuery(400) + `"}`,
			status: 400, code: "GRAPHQL_VALIDATION_FAILED", message: "nests 402 levels"},
		{name: "answer too large", contentType: "application/json",
			body:   `{"query":"` + wideQuery(100) + `"}`,
			status: 400, code: "GRAPHQL_VALIDATION_FAILED", message: "more than 20000 fields"},
		{name: "unknown field", contentType: "application/json",
			body: `{"query":"{ me { password } }"}`, status: 400,
			code: "GRAPHQL_VALIDATION_FAILED", message: `Cannot query field "password"`},
		{name: "unknown operation", contentType: "application/json",
			body:   `{"query":"query A { me { pk } }", "operationName": "B"}`,
			status: 400, code: "BAD_REQUEST", message: `no operation named "B"`},
		{name: "two operations unnamed", contentType: "application/json",
			body:   `{"query":"query A { me { pk } } query B { me { pk } }"}`,
			status: 400, code: "BAD_REQUEST", message: "name one in operationName"},
		{name: "subscription", contentType: "application/json",
			body: `{"query":"subscription { me { pk } }"}`, status: 400,
			code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "wrong variable type", contentType: "application/json",
			body: `{"query":"mutation($t: String!) { refreshToken(refreshToken: $t) ` +
				`{ accessToken } }", "variables": {"t": 12}}`,
			status: 400, code: "BAD_USER_INPUT", message: "cannot use float64 as String"},
		{name: "missing variable", contentType: "application/json",
			body: `{"query":"mutation($t: String!) { refreshToken(refreshToken: $t) ` +
				`{ accessToken } }"}`,
			status: 400, code: "BAD_USER_INPUT", message: "must be defined"},
		{name: "null for a required variable", contentType: "application/json",
			body: `{"query":"mutation($t: String!) { revokeToken(refreshToken: $t) }", ` +
				`"variables": {"t": null}}`,
			status: 400, code: "BAD_USER_INPUT", message: "cannot be null"},
		{name: "argument of the wrong type", contentType: "application/json",
			body:   `{"query":"mutation { refreshToken(refreshToken: 5) { accessToken } }"}`,
			status: 400, code: "GRAPHQL_VALIDATION_FAILED", message: "String"},
	}
	e := newEnv(t, refserver.Config{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := e.gqlRaw(t, tc.contentType, tc.body, "")

			assert.Equal(t, tc.status, a.status, "%s", a.body)
			require.NotEmpty(t, a.Errors, "%s", a.body)
			assert.Equal(t, tc.code, a.code(), "%s", a.body)
			assert.Contains(t, a.Errors[0].Message, tc.message)
			assert.NotContains(t, a.keys, "data", "a request refused before execution has "+
				"no data")
		})
	}
}

func TestGraphQLFragmentsAndDirectives(t *testing.T) {
	e := newEnv(t, refserver.Config{})
	tok := e.gqlLogin(t)

	a := e.gql(t, `query Me($withEmail: Boolean!) {
  me { ...Names ... on User { id: pk } email @include(if: $withEmail) pk @skip(if: true) }
  kind: __typename
}
fragment Names on User { firstName lastName firstName }`,
		map[string]any{"withEmail": false}, tok.access)

	require.Empty(t, a.Errors, "%s", a.body)
	assert.Equal(t, `{"me":{"firstName":"Ada","lastName":"Lovelace","id":"1"},"kind":"Query"}`,
		string(a.keys["data"]), "keys in selection order")
}

func TestGraphQLCrashOnGarbage(t *testing.T) {
	e := newEnv(t, refserver.Config{Faults: []refserver.Fault{refserver.FaultCrashOnGarbage}})

	bad := e.do(t, http.MethodPost, "/graphql", "application/json", `{"query": `, nil)
	garbage := e.do(t, http.MethodPost, "/graphql", "application/json",
		`{"query":"mutation { refreshToken(refreshToken: \"garbage\") { accessToken } }"}`, nil)
	fine := e.gqlRaw(t, "application/json", `{"query":"{ me { pk } }"}`, "")

	assert.Equal(t, http.StatusInternalServerError, bad.status)
	assert.Contains(t, string(bad.body), "DEBUG = True")
	assert.Equal(t, http.StatusInternalServerError, garbage.status)
	assert.Equal(t, "UNAUTHENTICATED", fine.code(), "a well-formed request is answered")
}
