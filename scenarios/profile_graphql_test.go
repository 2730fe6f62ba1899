package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadGraphQLProfile(t *testing.T) {
	p, err := LoadProfile(filepath.Join("testdata", "graphql", "profile.yaml"))
	require.NoError(t, err)

	assert.Equal(t, TransportGraphQL, p.Transport)
	assert.Equal(t, "/api/graphql", p.Login.Path, "the REST view names the endpoint")
	assert.Equal(t, "/api/graphql", p.User.Path)
	assert.Equal(t, "token", p.Refresh.Field)
	require.NotNil(t, p.Logout)
	assert.Equal(t, TokenFields{Access: "token", Refresh: "refreshToken"}, p.Tokens)
	assert.Equal(t, map[string]any{"code": "{code}", "redirectUri": "{redirect_uri}",
		"codeVerifier": "{code_verifier}"}, p.GraphQL.Login.Variables["input"])
	assert.Equal(t, []string{"Signature has expired", "Invalid refresh token"},
		p.GraphQL.Refused.Messages)
	require.NoError(t, p.Validate())
}

// graphqlProfileErrors are broken copies of testdata/graphql/profile.yaml: each replaces
// old by new and must be refused with an error containing want.
var graphqlProfileErrors = []struct {
	name     string
	old, new string
	want     string
}{
	{name: "unknown field", old: "query { viewer { id email } }",
		new: "query { viewer { id emial } }",
		want: `profile.yaml:29: graphql.user.document: operation user, line 1, column 21: ` +
			`Cannot query field "emial" on type "Viewer". Did you mean "email"?`},
	{name: "unknown field in a fragment",
		old: "fragment Pair on AuthPayload { token refreshToken }",
		new: "fragment Pair on AuthPayload { token refreshToken expires }",
		want: `profile.yaml:17: graphql.login.document: operation login, line 6, column 51: ` +
			`Cannot query field "expires" on type "AuthPayload"`},
	{name: "wrong argument type", old: "mutation Refresh($token: String!)",
		new: "mutation Refresh($token: Int!)",
		want: `profile.yaml:24: graphql.refresh.document: operation refresh, line 2, ` +
			`column 23: Variable "$token" of type "Int!" used in position expecting type ` +
			`"String!".`},
	{name: "literal argument of the wrong type", old: "refreshToken(token: $token)",
		new: "refreshToken(token: 42)",
		want: `graphql.refresh.document: operation refresh, line 2, column 23: String ` +
			`cannot represent a non string value: 42`},
	{name: "missing variable", old: "variables: {token: \"{refresh_token}\"}\n    paths",
		new: "variables: {other: \"{refresh_token}\"}\n    paths",
		want: `profile.yaml:26: graphql.refresh.variables.other: operation refresh ` +
			`declares no $other (it declares $token)`},
	{name: "required variable not set",
		old: "mutation Logout($token: String!) { logout(token: $token) { ok } }\n" +
			"    variables: {token: \"{refresh_token}\"}",
		new: "mutation Logout($token: String!) { logout(token: $token) { ok } }",
		want: `profile.yaml:32: graphql.logout.document: operation logout, line 1, ` +
			`column 17: variable $token must be defined: the profile's variables do not set it`},
	{name: "undefined variable", old: "refreshToken(token: $token)",
		new: "refreshToken(token: $tok)",
		want: `profile.yaml:24: graphql.refresh.document: operation refresh, line 2, ` +
			`column 23: Variable "$tok" is not defined by operation "Refresh".`},
	{name: "syntax error", old: "query { viewer { id email } }", new: "query { viewer { id email }",
		want: `profile.yaml:29: graphql.user.document: operation user, line 1, column 28: ` +
			`Expected Name, found <EOF>`},
	{name: "input field of the wrong type", old: `codeVerifier: "{code_verifier}"}`,
		new: `codeVerifier: 7}`,
		want: `profile.yaml:19: graphql.login.variables.input: operation login: variable ` +
			`$input cannot use int as String`},
	{name: "unknown placeholder", old: `{token: "{refresh_token}"}`, new: `{token: "{refresh}"}`,
		want: `profile.yaml:26: graphql.refresh.variables.token: unknown placeholder {refresh}`},
	{name: "no code", old: `code: "{code}", `, new: ``,
		want: `profile.yaml:19: graphql.login.variables: no variable carries {code}`},
	{name: "path not selected", old: "access: data.refreshToken.token,",
		new: "access: data.refreshToken.accessToken,",
		want: `profile.yaml:27: graphql.refresh.paths.access: "data.refreshToken.accessToken": ` +
			`the operation selects no accessToken under data.refreshToken (it selects ` +
			`refreshToken, token)`},
	{name: "path outside data", old: "access: data.refreshToken.token,",
		new: "access: refreshToken.token,", want: `must start with data.`},
	{name: "no access path", old: "access: data.googleLogin.token, ", new: "",
		want: `profile.yaml:20: graphql.login.paths.access: is required`},
	{name: "two operations", old: `document: "query { viewer { id email } }"`,
		new:  `document: "query A { viewer { id } } query B { viewer { id } }"`,
		want: `profile.yaml:29: graphql.user.document: holds 2 operations; want exactly one`},
	{name: "relative endpoint", old: "endpoint: /api/graphql", new: "endpoint: api/graphql",
		want: `profile.yaml:5: graphql.endpoint: want a path starting with /`},
	{name: "unknown transport", old: "transport: graphql", new: "transport: grpc",
		want: `profile.yaml:3: transport: "grpc" is not rest or graphql`},
	{name: "graphql without its transport", old: "transport: graphql\n", new: "",
		want: `graphql: is used only with transport: graphql`},
	{name: "unknown schema file", old: "schema: schema.graphql", new: "schema: nope.graphql",
		want: `profile.yaml:6: graphql.schema: read the schema`},
	{name: "unknown profile field", old: "  refused:", new: "  refuse:",
		want: `profile.yaml:7: graphql.refuse: unknown field`},
	{name: "codes not a list", old: "codes: [UNAUTHENTICATED]", new: "codes: UNAUTHENTICATED",
		want: `profile.yaml:8: graphql.refused.codes: want a list of strings`},
}

func TestGraphQLProfileErrors(t *testing.T) {
	dir := filepath.Join("testdata", "graphql")
	base, err := os.ReadFile(filepath.Join(dir, "profile.yaml"))
	require.NoError(t, err)
	for _, tc := range graphqlProfileErrors {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, string(base), tc.old, "the case's old text")
			broken := strings.Replace(string(base), tc.old, tc.new, 1)

			_, err := ParseProfile(filepath.Join(dir, "profile.yaml"), []byte(broken))

			var cerr *ConfigError
			require.ErrorAs(t, err, &cerr)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestBuiltinGraphQLProfileParses(t *testing.T) {
	p := graphqlProfile()

	require.NoError(t, p.Validate())
	assert.Equal(t, "/graphql", p.Refresh.Path)
	assert.Equal(t, "refreshToken", p.Refresh.Field)
	assert.Equal(t, TokenFields{Access: "accessToken", Refresh: "refreshToken"}, p.Tokens)
}
