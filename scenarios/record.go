package scenarios

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// maxRecordedBody caps how much of a body an exchange keeps.
const maxRecordedBody = 4 << 10

// Exchange is one recorded HTTP request and its answer, with every secret replaced by its
// fingerprint. Exchanges are the evidence behind verdicts and the entries of a HAR file.
type Exchange struct {
	// Check is the ID of the check that made the request; empty outside a check.
	Check   string
	Started time.Time
	// Elapsed is the time from sending the request to reading the whole answer.
	Elapsed        time.Duration
	Method         string
	URL            string
	RequestHeader  http.Header
	RequestBody    string
	Status         int // 0 when no answer arrived
	ResponseHeader http.Header
	ResponseBody   string
	// Err says why no (complete) answer arrived.
	Err string
}

// Evidence is one piece of what decided a verdict: a note from the check, or a summary of
// one exchange. Secrets appear only as fingerprints.
type Evidence struct {
	Note     string `json:"note,omitempty"`
	Request  string `json:"request,omitempty"`  // "POST http://127.0.0.1:8000/social-login/google/"
	Body     string `json:"body,omitempty"`     // the request body
	Status   int    `json:"status,omitempty"`   // the answer's status
	Response string `json:"response,omitempty"` // the answer's body
	Error    string `json:"error,omitempty"`
}

// String renders the evidence on one line for text reports.
func (e Evidence) String() string {
	if e.Note != "" {
		return e.Note
	}
	var b strings.Builder
	b.WriteString(shortRequest(e.Request))
	if e.Body != "" {
		fmt.Fprintf(&b, " %s", clip(e.Body, 160))
	}
	if e.Error != "" {
		fmt.Fprintf(&b, " -> error: %s", e.Error)
		return b.String()
	}
	fmt.Fprintf(&b, " -> %d", e.Status)
	if e.Response != "" {
		fmt.Fprintf(&b, " %s", clip(e.Response, 160))
	}
	return b.String()
}

// shortRequest turns "POST http://host/path?query" into "POST /path?query", the query
// cut short: the text report names the target once, in its header.
func shortRequest(req string) string {
	method, raw, ok := strings.Cut(req, " ")
	if !ok {
		return req
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return req
	}
	return method + " " + clip(u.RequestURI(), 100)
}

func (x *Exchange) evidence() Evidence {
	return Evidence{
		Request:  x.Method + " " + x.URL,
		Body:     x.RequestBody,
		Status:   x.Status,
		Response: x.ResponseBody,
		Error:    x.Err,
	}
}

// clip shortens s to at most n bytes, marking the cut.
func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// Recorder receives every exchange a [Client] makes. Implementations must be safe for
// concurrent use.
type Recorder interface {
	Record(x *Exchange)
}

// Log is a Recorder that keeps exchanges in memory, in the order they completed.
// The zero value is ready to use; Log is safe for concurrent use.
type Log struct {
	mu        sync.Mutex
	exchanges []*Exchange
}

// Record appends x to the log.
func (l *Log) Record(x *Exchange) {
	l.mu.Lock()
	l.exchanges = append(l.exchanges, x)
	l.mu.Unlock()
}

// Exchanges returns the exchanges recorded so far.
func (l *Log) Exchanges() []*Exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*Exchange(nil), l.exchanges...)
}

// checkRecorder collects one check's exchanges and notes, and forwards the exchanges to
// the run's recorder (the HAR log).
type checkRecorder struct {
	id   string
	next Recorder

	mu       sync.Mutex
	evidence []Evidence
}

func (r *checkRecorder) Record(x *Exchange) {
	x.Check = r.id
	r.mu.Lock()
	r.evidence = append(r.evidence, x.evidence())
	r.mu.Unlock()
	if r.next != nil {
		r.next.Record(x)
	}
}

func (r *checkRecorder) note(s string) {
	r.mu.Lock()
	r.evidence = append(r.evidence, Evidence{Note: s})
	r.mu.Unlock()
}

func (r *checkRecorder) collected() []Evidence {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Evidence(nil), r.evidence...)
}
