package load

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIdleConnectionsCloseFirst checks that a run drops idle keep-alive connections
// before servers do (gunicorn after 2s), so that no refresh goes out on a connection the
// server is closing.
func TestIdleConnectionsCloseFirst(t *testing.T) {
	tr := newTransport(16)

	assert.Positive(t, tr.IdleConnTimeout)
	assert.Less(t, tr.IdleConnTimeout, 2*time.Second)
}

// TestRefreshNotRetried drops the connection of a refresh once the server has read it,
// on a connection kept alive from an earlier refresh, and checks that the refresh
// reached the server once: a retry would be a reuse of the token.
func TestRefreshNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if hits.Add(1) == 1 {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	p := builtin(t, "nuxt-drf")
	p.BaseURL = srv.URL
	s, err := newShape(p)
	require.NoError(t, err)
	c := &chain{shape: s, answers: newAnswerReader(p), base: newTransport(2),
		timeout: 5 * time.Second, ctx: t.Context()}
	t.Cleanup(c.base.CloseIdleConnections)

	first := c.send("r-1")
	second := c.send("r-2")

	assert.Equal(t, answer{status: http.StatusUnauthorized, complete: true}, first)
	assert.Equal(t, answer{}, second)
	assert.Equal(t, int32(2), hits.Load())
}
