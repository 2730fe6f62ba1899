package scenarios

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorFaults(t *testing.T) {
	runFaultCases(t, []faultCase{
		{fault: "crash-on-garbage", check: "errors/malformed-input"},
		{fault: "crash-on-garbage", check: "errors/no-debug-page"},
	})
}

// TestErrorsReachGraphQLTokens proves that over GraphQL the errors suite carries its bad
// tokens to where the target reads them: refserver with crash-on-garbage sits behind a
// front that answers anything but a GraphQL operation with a clean 400, so that only the
// probes posting an operation with a bad token can meet the crash.
func TestErrorsReachGraphQLTokens(t *testing.T) {
	t.Parallel()
	tgt := newGraphQLTarget(t, "crash-on-garbage")
	tgt.Profile.BaseURL = operationsOnly(t, tgt.Profile.BaseURL)

	results := runChecks(t, tgt, "errors/malformed-input", "errors/no-debug-page")

	for _, res := range results {
		assert.Equal(t, StatusFail, res.Status, describeResult(res))
		assert.Contains(t, res.Summary, "POST /graphql (operation ", describeResult(res))
	}
}

// operationsOnly starts a front for the GraphQL target at base that passes on the
// requests that are GraphQL operations (a JSON POST with a query) and answers every other
// one 400 with a GraphQL error, and returns its URL.
func operationsOnly(t *testing.T, base string) string {
	t.Helper()
	u, err := url.Parse(base)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(u)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		var req struct {
			Query string `json:"query"`
		}
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != jsonType ||
			json.Unmarshal(body, &req) != nil || req.Query == "" {
			w.Header().Set("Content-Type", jsonType)
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"errors":[{"message":"not a GraphQL operation"}]}`)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return front.URL
}

func TestDebugMarkers(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string // what the marker found names; empty means none matches
	}{
		{"python traceback", "Traceback (most recent call last):\n  File \"x.py\"",
			"a Python traceback"},
		{"python frame", `  File "/srv/app/views.py", line 42, in post`, "a Python traceback"},
		{"django debug page", "<p>You're seeing this error because you have DEBUG = True",
			"Django's debug page (DEBUG = True)"},
		{"django debug 404", "Using the URLconf defined in backend.urls",
			"Django's debug 404 page (DEBUG = True)"},
		{"go panic", "panic: boom\n\ngoroutine 7 [running]:\nmain.main()", "a Go panic's stack"},
		{"java", "at com.example.Api.handle(Api.java:12)", "a Java stack trace"},
		{"node", "    at handler (/srv/app/index.js:10:5)", "a Node.js stack trace"},
		{"drf error", `{"detail":"JSON parse error - Expecting value: line 1 column 1"}`, ""},
		{"simplejwt error", `{"detail":"Token is invalid or expired","code":"token_not_valid"}`,
			""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			for _, m := range debugMarkers {
				if m.pattern.MatchString(tc.body) {
					got = m.what
					break
				}
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestDescribeAnswer(t *testing.T) {
	jsonHeader := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	tests := []struct {
		name string
		resp *Response
		want string
	}{
		{"REST", &Response{Status: 400, Header: jsonHeader}, "400 application/json"},
		{"no Content-Type", &Response{Status: 500, Header: http.Header{}},
			"500 without a Content-Type"},
		{"GraphQL error standing for a 500",
			&Response{Status: 500, Header: jsonHeader, GraphQL: &GraphQLAnswer{HTTPStatus: 200}},
			"500 (HTTP 200) application/json"},
		{"GraphQL answer with its own status",
			&Response{Status: 415, Header: jsonHeader, GraphQL: &GraphQLAnswer{HTTPStatus: 415}},
			"415 application/json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, describeAnswer(tc.resp))
		})
	}
}
