package mockgoogle

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCloseCutsLatency checks that Close does not wait out a long fault latency.
func TestCloseCutsLatency(t *testing.T) {
	srv, err := New(Config{})
	require.NoError(t, err)
	require.NoError(t, srv.Start("127.0.0.1:0"))
	srv.FailNext(Fault{Endpoint: EndpointDiscovery, Latency: time.Hour})
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Get(srv.URL() + "/.well-known/openid-configuration")
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()

	// The request is in flight once it has taken the fault.
	require.Eventually(t, func() bool {
		srv.faults.mu.Lock()
		defer srv.faults.mu.Unlock()
		return len(srv.faults.pending) == 0
	}, 10*time.Second, time.Millisecond)
	require.NoError(t, srv.Close())

	assert.Equal(t, http.StatusServiceUnavailable, <-answered)
}

// TestStartTwice checks that a server starts once, and that Close is idempotent.
func TestStartTwice(t *testing.T) {
	srv, err := New(Config{})
	require.NoError(t, err)
	require.NoError(t, srv.Start("127.0.0.1:0"))

	assert.Error(t, srv.Start("127.0.0.1:0"))
	require.NoError(t, srv.Close())
	require.NoError(t, srv.Close())
	assert.Error(t, srv.Start("127.0.0.1:0"), "a closed server does not start again")
}

// TestStorePrunes checks that expired codes and access tokens do not pile up.
func TestStorePrunes(t *testing.T) {
	st := newStore()
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	st.addCode(&codeGrant{issued: start})
	st.addTokens(grant{}, start, "", nil)

	later := start.Add(accessTTL)
	for range pruneEvery {
		st.addCode(&codeGrant{issued: later})
	}

	assert.Len(t, st.codes, pruneEvery, "only the live codes remain")
	assert.Empty(t, st.access)
}
