package refserver_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/refserver"
)

// FuzzGraphQL posts arbitrary bodies to /graphql: whatever arrives, the answer is a JSON
// GraphQL answer with a status other than 500, and the server does not panic.
func FuzzGraphQL(f *testing.F) {
	s, err := refserver.New(f.Context(), refserver.Config{GoogleURL: "http://127.0.0.1:1",
		DB: ":memory:", Cookies: true, TestClock: true})
	require.NoError(f, err)
	f.Cleanup(func() { s.Close() })

	seeds := []string{
		`{"query":` + quote(gqlSignIn) + `,"variables":{"code":"4/x","verifier":null}}`,
		`{"query":` + quote(gqlRefresh) + `,"variables":{"token":"e30.e30."}}`,
		`{"query":` + quote(gqlRevoke) + `,"variables":{"token":""}}`,
		`{"query":` + quote(gqlMe) + `,"operationName":null}`,
		`{"query":"{ __schema { types { name fields { name type { ofType { name } } } } } }"}`,
		`{"query":"{ __type(name: \"User\") { fields(includeDeprecated: true) { name } } }"}`,
		`{"query":"query A { me { pk } } query B { __typename }","operationName":"B"}`,
		`{"query":"{ ...F } fragment F on Query { ...F }"}`,
		`{"query":"{ me { ... on User { pk @skip(if: $s) } } }","variables":{"s":true}}`,
		`{"query":"query($s: Boolean = true) { me { pk @include(if: $s) } }"}`,
		`{"query":"mutation { refreshToken(refreshToken: [\"a\"]) { accessToken } }"}`,
		`{"query":"{ __type(name: 5) { name } }"}`,
		`{"query":"{","variables":{"a":[1,{"b":null}]}}`,
		`{"query":"{ me { pk } }","variables":"x"}`,
		`[{"query":"{ me { pk } }"}]`,
		`{"query":`,
		`null`,
		"",
	}
	for _, seed := range seeds {
		f.Add([]byte(seed), "application/json", "Bearer garbage")
	}
	f.Add([]byte("query=%7B%7D"), "application/x-www-form-urlencoded", "")
	f.Add([]byte(`{"query":"{ me { pk } }"}`), "", "Bearer a.b.c")

	f.Fuzz(func(t *testing.T, body []byte, contentType, auth string) {
		r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		r.Header.Set("Authorization", auth)
		w := httptest.NewRecorder()

		s.ServeHTTP(w, r)

		require.NotEqual(t, http.StatusInternalServerError, w.Code, "%s", w.Body)
		require.Equal(t, "application/json", w.Header().Get("Content-Type"))
		var answer map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &answer), "%s", w.Body)
		_, hasData := answer["data"]
		_, hasErrors := answer["errors"]
		require.True(t, hasData || hasErrors, "%s", w.Body)
	})
}

// quote encodes s as a JSON string.
func quote(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}
