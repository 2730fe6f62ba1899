package load

import (
	"net"
	"net/http"
	"time"
)

// newTransport is the HTTP transport of a run: straight to the target, never through a
// proxy, with idle connections kept for up to conns requests in flight. It never retries
// a request that reached the server: a refresh sent twice is a reuse.
func newTransport(conns int) *http.Transport {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		DialContext:         dialer.DialContext,
		MaxIdleConns:        0,
		MaxIdleConnsPerHost: max(conns, 2),
		// Drop idle conns before servers do (gunicorn: 2s): Go does not retry a POST that hits EOF.
		IdleConnTimeout: time.Second,
	}
}
