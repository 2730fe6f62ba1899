package mockgoogle

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sync"
	"time"
)

// maxLoggedRequests bounds the request log. When it is full the older half is dropped, so
// the log always holds at least the most recent maxLoggedRequests/2 requests.
const maxLoggedRequests = 10000

// Client authentication methods recorded in [LoggedRequest].
const (
	ClientAuthBasic = "basic" // HTTP Basic (client_secret_basic)
	ClientAuthPost  = "post"  // client_secret in the form (client_secret_post)
	ClientAuthNone  = "none"  // no client secret sent
)

// LoggedRequest is what the server recorded about one call of a provider endpoint. It
// holds the names of the fields that arrived, never their values.
type LoggedRequest struct {
	Time       time.Time `json:"time"` // server clock when the request arrived
	Endpoint   Endpoint  `json:"endpoint"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Status     int       `json:"status"`
	Fields     []string  `json:"fields"` // form and query field names, sorted
	ClientAuth string    `json:"client_auth"`
}

// HasField reports whether a field of that name arrived, e.g. "code_verifier".
func (r LoggedRequest) HasField(name string) bool {
	for _, f := range r.Fields {
		if f == name {
			return true
		}
	}
	return false
}

// requestLog keeps the most recent requests. It is safe for concurrent use.
type requestLog struct {
	mu      sync.Mutex
	entries []LoggedRequest
}

func (l *requestLog) add(r LoggedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) == maxLoggedRequests {
		l.entries = append(l.entries[:0], l.entries[maxLoggedRequests/2:]...)
	}
	l.entries = append(l.entries, r)
}

func (l *requestLog) list() []LoggedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]LoggedRequest, len(l.entries))
	for i, e := range l.entries {
		e.Fields = slices.Clone(e.Fields)
		out[i] = e
	}
	return out
}

func (l *requestLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = nil
}

// fingerprint returns the first 8 hex digits of the SHA-256 of a token, the only form in
// which tokens, codes and secrets appear in logs.
func fingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:4])
}
