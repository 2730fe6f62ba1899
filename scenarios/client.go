package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// DefaultTimeout bounds every HTTP request a Client makes when ClientConfig.Timeout is 0.
const DefaultTimeout = 10 * time.Second

// maxBody caps how much of an answer a Client reads.
const maxBody = 1 << 20

// Headers the Nuxt Auth client sends (see DESIGN.md section 1).
const (
	acceptHeader = "application/json, text/plain, */*"
	formType     = "application/x-www-form-urlencoded"
	jsonType     = "application/json"
)

// ClientConfig configures a [Client]. Every field is optional.
type ClientConfig struct {
	// GoogleURL is mockgoogle's base URL, where SignIn sends the browser's authorization
	// request. Empty: Authorize and SignIn fail.
	GoogleURL string
	// HTTPClient makes the requests. Nil: a client of its own with Timeout. Whatever is
	// given, redirects are never followed: the Client reads them.
	HTTPClient *http.Client
	// Timeout bounds each request when HTTPClient is nil; 0 means DefaultTimeout.
	Timeout time.Duration
	// Recorder receives every exchange, secrets redacted. Nil: nothing is recorded.
	Recorder Recorder
}

// Client drives a backend the way the Nuxt Auth oauth2 scheme does, byte for byte: sign-in
// through Google's authorization endpoint, the form-encoded code exchange, the refresh
// posted to the token endpoint, and the user request with a bearer token.
//
// A Client holds no session state: tokens go in and come out of its methods, so one Client
// is safe for concurrent use by any number of sessions.
type Client struct {
	profile *Profile
	google  string
	http    *http.Client
	rec     Recorder
	red     redactor
	results map[string][]string // GraphQL profiles: each operation's result path
}

// NewClient returns a Client for the backend that p describes.
func NewClient(p *Profile, cfg ClientConfig) *Client {
	hc := cfg.HTTPClient
	if hc == nil {
		timeout := cfg.Timeout
		if timeout == 0 {
			timeout = DefaultTimeout
		}
		hc = &http.Client{Transport: newTransport(), Timeout: timeout}
	}
	noFollow := *hc
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	c := &Client{
		profile: p,
		google:  strings.TrimSuffix(cfg.GoogleURL, "/"),
		http:    &noFollow,
		rec:     cfg.Recorder,
		red:     newRedactor(p.Tokens.Access, p.Tokens.Refresh, p.Refresh.Field),
	}
	if p.Transport == TransportGraphQL && p.GraphQL != nil {
		c.results = graphqlResults(p.GraphQL)
		c.red = newRedactor(append(graphqlSecrets(p.GraphQL), p.Tokens.Access,
			p.Tokens.Refresh)...)
	}
	return c
}

// newTransport returns the HTTP transport of the package's own clients.
func newTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	// Drop idle conns before servers do (gunicorn: 2s): Go does not retry a POST that hits EOF.
	tr.IdleConnTimeout = time.Second
	return tr
}

// WithRecorder returns a copy of c that records its exchanges to r instead.
func (c *Client) WithRecorder(r Recorder) *Client {
	cp := *c
	cp.rec = r
	return &cp
}

// Tokens are a backend's access and refresh tokens.
type Tokens struct {
	Access  string
	Refresh string
}

// Response is a backend's answer, read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// JSON is the body decoded as a JSON object; nil when it is not one.
	JSON map[string]any
	// Tokens holds the profile's token fields of a JSON answer, or else the cookies of
	// those names.
	Tokens Tokens
	// GraphQL is set on the answers of a GraphQL profile's operations, which the other
	// fields then describe the way [GraphQLAnswer] says; nil otherwise.
	GraphQL *GraphQLAnswer
}

// OK reports whether the answer is 2xx.
func (r *Response) OK() bool { return r.Status >= 200 && r.Status < 300 }

// Field returns the named top-level JSON field as a string, and "" when it is absent or
// not a string.
func (r *Response) Field(name string) string {
	s, _ := r.JSON[name].(string)
	return s
}

// Keys returns the top-level JSON field names of the answer, sorted.
func (r *Response) Keys() []string { return sortedKeys(r.JSON) }

// Cookie returns the cookie the answer sets under name, or nil.
func (r *Response) Cookie(name string) *http.Cookie {
	for _, ck := range (&http.Response{Header: r.Header}).Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// Do sends req, reads the whole answer (up to 1 MiB) and records the exchange. body is
// req's body, given again so that it can be recorded; nil for none. The error is non-nil
// only when no complete answer arrived: refused, reset, timed out, cut short.
func (c *Client) Do(req *http.Request, body []byte) (*Response, error) {
	started := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.record(req, body, started, nil, nil, err)
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, transportError(err))
	}
	defer resp.Body.Close()

	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	c.record(req, body, started, resp, data, err)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read answer: %w", req.Method, req.URL.Path,
			transportError(err))
	}

	return c.newResponse(resp.StatusCode, resp.Header, data), nil
}

// newResponse reads an answer: its JSON object and the profile's token fields or cookies.
func (c *Client) newResponse(status int, header http.Header, body []byte) *Response {
	out := &Response{Status: status, Header: header, Body: body}
	if bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		_ = json.Unmarshal(body, &out.JSON) // not JSON: JSON stays nil, checks say so
	}
	out.Tokens = Tokens{Access: out.token(c.profile.Tokens.Access),
		Refresh: out.token(c.profile.Tokens.Refresh)}
	return out
}

func (r *Response) token(name string) string {
	if v := r.Field(name); v != "" {
		return v
	}
	if ck := r.Cookie(name); ck != nil {
		return ck.Value
	}
	return ""
}

// transportError makes a timeout say so plainly; other errors pass unchanged.
func transportError(err error) error {
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return fmt.Errorf("no answer in time: %w", err)
	}
	return err
}

func (c *Client) record(req *http.Request, body []byte, started time.Time,
	resp *http.Response, data []byte, err error) {
	if c.rec == nil {
		return
	}
	x := &Exchange{
		Started:       started,
		Elapsed:       time.Since(started),
		Method:        req.Method,
		URL:           c.red.url(req.URL.String()),
		RequestHeader: c.red.header(req.Header),
		RequestBody:   c.red.text(clip(string(body), maxRecordedBody)),
	}
	if resp != nil {
		x.Status = resp.StatusCode
		x.ResponseHeader = c.red.header(resp.Header)
		x.ResponseBody = c.red.text(clip(string(data), maxRecordedBody))
	}
	if err != nil {
		x.Err = err.Error()
	}
	c.rec.Record(x)
}

// newRequest builds a request to the backend with the headers Nuxt Auth sends.
func (c *Client) newRequest(ctx context.Context, method, path, ctype string,
	body []byte) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL(path), r)
	if err != nil {
		return nil, fmt.Errorf("scenarios: build request: %w", err)
	}
	req.Header.Set("Accept", acceptHeader)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	return req, nil
}

// URL returns the backend URL of path.
func (c *Client) URL(path string) string {
	return strings.TrimSuffix(c.profile.BaseURL, "/") + path
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
