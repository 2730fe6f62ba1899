package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
)

func TestCheckGraphQLBuiltinPasses(t *testing.T) {
	t.Parallel()
	code, out, errOut := runArgs(t, "check", "--profile", "graphql")

	assert.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "(profile graphql)")
	assert.Contains(t, out, "PASS   reuse/logout-revokes")
	assert.Contains(t, out, "SKIP   exchange/form-and-json")
	assert.Contains(t, errOut, "checking the built-in refserver")
}

func TestCheckGraphQLFaultFails(t *testing.T) {
	t.Parallel()
	code, out, _ := runArgs(t, "check", "--profile", "graphql", "--fault", "no-blacklist",
		"--suite", "reuse")

	assert.Equal(t, exitFailed, code, out)
	assert.Contains(t, out, "FAIL   reuse/rotated-refused")
}

// TestCheckGraphQLBadOperation checks a GraphQL target whose profile asks for a field
// its schema lacks: a profile error naming the line, before any check runs.
func TestCheckGraphQLBadOperation(t *testing.T) {
	t.Parallel()
	google := mockgoogle.NewServer(t, mockgoogle.Config{})
	ref := refserver.NewServer(t, refserver.Config{GoogleURL: google.URL(), TestClock: true})
	profile := writeTemp(t, "gql.yaml", `name: gql
transport: graphql
graphql:
  endpoint: /graphql
  login:
    document: |
      mutation ($code: String!) {
        socialAuth(code: $code) { accessToken refreshToken }
      }
    variables: {code: "{code}"}
    paths: {access: data.socialAuth.accessToken, refresh: data.socialAuth.refreshToken}
  refresh:
    document: |
      mutation ($t: String!) {
        refreshToken(refreshToken: $t) { accessToken refreshToken }
      }
    variables: {t: "{refresh_token}"}
    paths: {access: data.refreshToken.accessToken, refresh: data.refreshToken.refreshToken}
  user:
    document: |
      query {
        me { pk emailAddress }
      }
`)

	code, out, errOut := runArgs(t, "check", "--target", ref.URL(), "--profile", profile,
		"--google-url", google.URL())

	assert.Equal(t, exitUsage, code, out+errOut)
	assert.Contains(t, errOut, `gql.yaml:22: graphql.user.document: operation user, line 2, `+
		`column 11: Cannot query field "emailAddress" on type "User".`)
	assert.Empty(t, out)
}
