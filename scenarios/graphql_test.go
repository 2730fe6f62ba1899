package scenarios

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/authprobe/authprobe/refserver"
)

func TestSuitesPassOnRefserverOverGraphQL(t *testing.T) {
	t.Parallel()
	tgt := newGraphQLTarget(t)

	results := runChecks(t, tgt)

	for _, c := range Checks() {
		res, ok := results[c.ID]
		if !assert.True(t, ok, "no result for %s", c.ID) {
			continue
		}
		switch {
		case notApplicable(c, tgt.Profile) != "":
			assert.Equal(t, StatusSkip, res.Status, describeResult(res))
		case c.Level == Must:
			assertMustPassed(t, tgt.Profile, res)
		default:
			assert.Contains(t, []Status{StatusPass, StatusSkip}, res.Status,
				describeResult(res))
		}
	}
}

func TestGraphQLKeyConfusion(t *testing.T) {
	t.Parallel()
	tgt := newTargetWith(t, refserver.Config{Algorithm: "RS256", TestClock: true},
		"key-confusion")
	tgt.Profile = graphqlOf(tgt.Profile)

	res := runChecks(t, tgt, "tokens/key-confusion")["tokens/key-confusion"]

	assert.Equal(t, StatusFail, res.Status, describeResult(res))
}

func TestIntrospectionGivesTheServedSchema(t *testing.T) {
	t.Parallel()
	tgt := newGraphQLTarget(t)
	hc := &http.Client{Timeout: 5 * time.Second}
	endpoint := tgt.Profile.BaseURL + "/graphql"

	introspected, err := introspect(t.Context(), hc, endpoint)
	require.NoError(t, err)
	served, err := fetchSDL(t.Context(), hc, endpoint+"/schema.graphql")
	require.NoError(t, err)

	assert.Equal(t, formatSchema(t, served), formatSchema(t, introspected))
}

// formatSchema loads an SDL and writes it back without descriptions, types in order.
func formatSchema(t *testing.T, sdl string) string {
	t.Helper()
	schema, err := gqlparser.LoadSchema(&ast.Source{Input: sdl})
	require.NoError(t, err)
	var b strings.Builder
	formatter.NewFormatter(&b, formatter.WithoutDescription()).FormatSchema(schema)
	return b.String()
}

// fakeGraphQL serves testdata/graphql/schema.graphql at GET /graphql/schema.graphql when
// serveSDL, and answers every POST /graphql, introspection included, with an error.
func fakeGraphQL(t *testing.T, serveSDL bool) *httptest.Server {
	t.Helper()
	sdl, err := os.ReadFile(filepath.Join("testdata", "graphql", "schema.graphql"))
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /graphql", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"errors":[{"message":"introspection is disabled"}]}`))
	})
	if serveSDL {
		mux.HandleFunc("GET /graphql/schema.graphql", func(w http.ResponseWriter,
			_ *http.Request) {
			_, _ = w.Write(sdl)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// relayProfile is testdata/graphql/profile.yaml aimed at base, its schema left to the
// target unless schema is set.
func relayProfile(t *testing.T, base, schema string) *Profile {
	t.Helper()
	p, err := LoadProfile(filepath.Join("testdata", "graphql", "profile.yaml"))
	require.NoError(t, err)
	p.BaseURL = base
	p.GraphQL.Endpoint = "/graphql"
	p.GraphQL.Schema = schema
	return p
}

func TestValidateOperationsSchemaSources(t *testing.T) {
	t.Parallel()
	hc := &http.Client{Timeout: 5 * time.Second}
	withSDL, without := fakeGraphQL(t, true), fakeGraphQL(t, false)
	tests := []struct {
		name    string
		profile *Profile
		want    string // a part of the error; empty means none
	}{
		{name: "SDL served when introspection is off",
			profile: relayProfile(t, withSDL.URL, "")},
		{name: "schema URL",
			profile: relayProfile(t, without.URL, withSDL.URL+"/graphql/schema.graphql")},
		{name: "no schema anywhere", profile: relayProfile(t, without.URL, ""),
			want: "graphql.schema: no schema to validate the operations against: " +
				"introspection: POST " + without.URL + "/graphql answered 200: introspection " +
				"is disabled; GET " + without.URL + "/graphql/schema.graphql answered 404"},
		{name: "schema URL answering 404",
			profile: relayProfile(t, without.URL, without.URL+"/schema.graphql"),
			want:    "graphql.schema: GET " + without.URL + "/schema.graphql answered 404"},
		{name: "REST profile", profile: nuxtDRFProfile()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.profile.ValidateOperations(t.Context(), hc)

			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			var cerr *ConfigError
			require.ErrorAs(t, err, &cerr)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestRunRefusesOperationsTheTargetLacks(t *testing.T) {
	t.Parallel()
	tgt := newGraphQLTarget(t)
	tgt.Profile.GraphQL.User.Document = "query {\n  me { pk username }\n}"
	rec := &Log{}
	cfg := testConfig(tgt)
	cfg.Recorder = rec

	_, err := Run(t.Context(), cfg)

	var cerr *ConfigError
	require.ErrorAs(t, err, &cerr)
	assert.Equal(t, "(graphql): graphql.user.document", cerr.File+": "+cerr.Field)
	assert.Contains(t, cerr.Msg, `operation user, line 2, column 11: Cannot query field `+
		`"username" on type "User".`)
	for _, x := range rec.Exchanges() {
		assert.NotContains(t, x.RequestBody, "username", "no operation is sent")
	}
}
