package mockgoogle

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Endpoint names one of the provider's endpoints, in faults and in the request log.
type Endpoint string

// The provider's endpoints.
const (
	EndpointAuthorize Endpoint = "authorize" // /o/oauth2/v2/auth, /o/oauth2/auth, the chooser
	EndpointToken     Endpoint = "token"     // /token
	EndpointUserinfo  Endpoint = "userinfo"  // /v1/userinfo, /oauth2/v3/userinfo
	EndpointJWKS      Endpoint = "jwks"      // /oauth2/v3/certs
	EndpointDiscovery Endpoint = "discovery" // /.well-known/openid-configuration
	EndpointTokeninfo Endpoint = "tokeninfo" // /tokeninfo
	EndpointRevoke    Endpoint = "revoke"    // /revoke
)

// FaultKind says what a fault does beyond its status, body and latency.
type FaultKind string

// Fault kinds. The id_token kinds apply to the token endpoint only: the answer is the
// normal one except for its id_token.
const (
	FaultPlain         FaultKind = ""               // Status and Body, or Latency alone
	FaultMalformedJSON FaultKind = "malformed-json" // a truncated JSON body; status 200 by default
	FaultWrongAud      FaultKind = "wrong-aud"      // id_token aud is another client
	FaultWrongIss      FaultKind = "wrong-iss"      // id_token iss is another issuer
	FaultExpired       FaultKind = "expired"        // id_token expired an hour ago
	FaultBadSignature  FaultKind = "bad-signature"  // id_token signature does not verify
	FaultAlgNone       FaultKind = "alg-none"       // id_token is unsigned, alg "none"
)

// Fault makes the next Count calls of an endpoint misbehave.
type Fault struct {
	Endpoint Endpoint
	Count    int           // how many calls fail; 0 means 1
	Status   int           // HTTP status answered instead of the real answer; 0: none
	Body     string        // body answered with Status; empty: a Google-style JSON error
	Latency  time.Duration // delay before answering
	Kind     FaultKind
	// Code, when set, restricts the fault to token requests carrying this authorization
	// code, so that concurrent tests sharing one server do not trip each other's faults.
	Code string
}

// idTokenKind reports whether the fault kind mangles the id_token.
func (k FaultKind) idTokenKind() bool {
	switch k {
	case FaultWrongAud, FaultWrongIss, FaultExpired, FaultBadSignature, FaultAlgNone:
		return true
	}
	return false
}

// validate reports what makes f unusable, if anything.
func (f Fault) validate() error {
	switch f.Endpoint {
	case EndpointAuthorize, EndpointToken, EndpointUserinfo, EndpointJWKS,
		EndpointDiscovery, EndpointTokeninfo, EndpointRevoke:
	default:
		return fmt.Errorf("%w: unknown fault endpoint %q", ErrInvalidRequest, f.Endpoint)
	}
	switch {
	case f.Kind != FaultPlain && f.Kind != FaultMalformedJSON && !f.Kind.idTokenKind():
		return fmt.Errorf("%w: unknown fault kind %q", ErrInvalidRequest, f.Kind)
	case f.Kind.idTokenKind() && f.Endpoint != EndpointToken:
		return fmt.Errorf("%w: fault kind %q applies to the token endpoint only",
			ErrInvalidRequest, f.Kind)
	case f.Kind.idTokenKind() && (f.Status != 0 || f.Body != ""):
		return fmt.Errorf("%w: fault kind %q takes no status or body", ErrInvalidRequest, f.Kind)
	case f.Code != "" && f.Endpoint != EndpointToken:
		return fmt.Errorf("%w: fault code applies to the token endpoint only", ErrInvalidRequest)
	case f.Status != 0 && (f.Status < 100 || f.Status > 599):
		return fmt.Errorf("%w: fault status %d out of range", ErrInvalidRequest, f.Status)
	case f.Count < 0 || f.Latency < 0:
		return fmt.Errorf("%w: fault count and latency must not be negative", ErrInvalidRequest)
	case f.Kind == FaultPlain && f.Status == 0 && f.Latency == 0:
		return fmt.Errorf("%w: fault needs a status, a latency or a kind", ErrInvalidRequest)
	case f.Body != "" && f.Status == 0 && f.Kind == FaultPlain:
		return fmt.Errorf("%w: fault body needs a status", ErrInvalidRequest)
	}
	return nil
}

// replaces reports whether the fault answers instead of the endpoint.
func (f Fault) replaces() bool {
	return f.Kind == FaultMalformedJSON || (f.Kind == FaultPlain && f.Status != 0)
}

// faultQueue holds pending faults in the order they were added. It is safe for concurrent
// use.
type faultQueue struct {
	mu      sync.Mutex
	pending []*Fault // Count is what remains
}

func (q *faultQueue) add(f Fault) {
	if f.Count == 0 {
		f.Count = 1
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = append(q.pending, &f)
}

func (q *faultQueue) clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = nil
}

// take consumes one call of the first fault that applies to a call of endpoint carrying
// code (empty for calls without one).
func (q *faultQueue) take(endpoint Endpoint, code string) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, f := range q.pending {
		if f.Endpoint != endpoint || (f.Code != "" && f.Code != code) {
			continue
		}
		taken := *f
		f.Count--
		if f.Count == 0 {
			q.pending = append(q.pending[:i], q.pending[i+1:]...)
		}
		return taken, true
	}
	return Fault{}, false
}

// truncated holds, per endpoint, a plausible answer cut short for malformed-json faults.
var truncated = map[Endpoint]string{
	EndpointToken:     `{"access_token": "ya29.a0AfB_byC`,
	EndpointUserinfo:  `{"sub": "1000000000`,
	EndpointJWKS:      `{"keys": [{"kty": "RSA", "n": "`,
	EndpointDiscovery: `{"issuer": "https://`,
	EndpointTokeninfo: `{"azp": "`,
	EndpointRevoke:    `{`,
	EndpointAuthorize: `{"error": `,
}

// writeFault answers for the endpoint as a replacing fault says.
func writeFault(w http.ResponseWriter, f Fault) {
	status := f.Status
	body := []byte(f.Body)
	switch {
	case f.Kind == FaultMalformedJSON:
		if status == 0 {
			status = http.StatusOK
		}
		body = []byte(truncated[f.Endpoint])
	case len(body) == 0:
		code := codeInvalidRequest
		if status >= 500 {
			code = codeServerError
		}
		body, _ = json.Marshal(errorBody{Error: code, Description: http.StatusText(status)})
	}

	if f.Kind == FaultMalformedJSON || json.Valid(body) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
