package scenarios

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExchangeFaults(t *testing.T) {
	runFaultCases(t, []faultCase{
		{fault: "simplejwt-keys", check: "exchange/code-accepted"},
		{fault: "json-only", check: "exchange/form-and-json"},
		{fault: "code-replay", check: "exchange/code-single-use"},
		{fault: "google-error-500", check: "exchange/unknown-code"},
		{fault: "google-error-500", check: "exchange/google-failure"},
		{fault: "drop-verifier", check: "exchange/pkce-forwarded"},
		{fault: "no-store-missing", check: "exchange/no-store"},
	})
}

// A login endpoint that swallows refusals into 200 {} signs nobody in; the checks say
// so instead of claiming a sign-in, and still fail it.
func TestExchangeRefusalAnswered2xx(t *testing.T) {
	t.Parallel()
	tgt := newTarget(t)
	tgt.Profile.BaseURL = refusalsAs200(t, tgt.Profile.BaseURL, tgt.Profile.Login.Path)

	results := runChecks(t, tgt, "exchange/unknown-code", "exchange/code-single-use",
		"exchange/pkce-forwarded")

	require.Len(t, results, 3)
	for id, res := range results {
		assert.Equal(t, StatusFail, res.Status, describeResult(res))
		assert.Contains(t, res.Summary, "was answered 200 {} without tokens", id)
		assert.Contains(t, res.Summary, "answer it with 4xx", id)
		assert.NotContains(t, res.Summary, "signed in", id)
	}
}

// refusalsAs200 starts a front for the target at base that answers 200 {} where the
// target refuses a request to path with 4xx, and returns its URL.
func refusalsAs200(t *testing.T, base, path string) string {
	t.Helper()
	u, err := url.Parse(base)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.URL.Path != path || resp.StatusCode < 400 || resp.StatusCode >= 500 {
			return nil
		}
		resp.Body.Close()
		resp.StatusCode, resp.Status = http.StatusOK, "200 OK"
		resp.Body = io.NopCloser(bytes.NewReader([]byte("{}")))
		resp.ContentLength = 2
		resp.Header.Set("Content-Length", "2")
		return nil
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	return front.URL
}
