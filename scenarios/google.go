package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Google controls a mockgoogle server over its HTTP control API (under /_mock/), so that
// checks work the same whether mockgoogle runs in this process or another one.
// Google is safe for concurrent use.
type Google struct {
	base string
	http *http.Client
}

// NewGoogle returns a controller of the mockgoogle at baseURL. A nil hc means a client
// with DefaultTimeout.
func NewGoogle(baseURL string, hc *http.Client) *Google {
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	return &Google{base: strings.TrimSuffix(baseURL, "/"), http: hc}
}

// URL returns mockgoogle's base URL.
func (g *Google) URL() string { return g.base }

// GoogleFault makes mockgoogle fail calls of one endpoint (see mockgoogle's Fault). Set
// Code to scope it to token requests carrying that code, which keeps concurrent checks
// from tripping each other's faults.
type GoogleFault struct {
	Endpoint string `json:"endpoint"`
	Count    int    `json:"count,omitempty"`
	Status   int    `json:"status,omitempty"`
	Body     string `json:"body,omitempty"`
	Latency  string `json:"latency,omitempty"` // a Go duration
	Kind     string `json:"kind,omitempty"`    // malformed-json, wrong-aud, wrong-iss, ...
	Code     string `json:"code,omitempty"`
}

// GoogleRequest is one entry of mockgoogle's request log: the names of the fields that
// arrived, never their values.
type GoogleRequest struct {
	Time       time.Time `json:"time"`
	Endpoint   string    `json:"endpoint"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Status     int       `json:"status"`
	Fields     []string  `json:"fields"`
	ClientAuth string    `json:"client_auth"`
}

// Fail arms a fault.
func (g *Google) Fail(ctx context.Context, f GoogleFault) error {
	return g.call(ctx, http.MethodPost, "/_mock/faults", f, nil)
}

// Advance moves mockgoogle's clock forward by d.
func (g *Google) Advance(ctx context.Context, d time.Duration) error {
	body := map[string]string{"advance": d.String()}
	return g.call(ctx, http.MethodPost, "/_mock/clock", body, nil)
}

// Requests returns mockgoogle's request log.
func (g *Google) Requests(ctx context.Context) ([]GoogleRequest, error) {
	var log []GoogleRequest
	err := g.call(ctx, http.MethodGet, "/_mock/requests", nil, &log)
	return log, err
}

// Ping checks that mockgoogle answers its discovery document.
func (g *Google) Ping(ctx context.Context) error {
	return g.call(ctx, http.MethodGet, "/.well-known/openid-configuration", nil, nil)
}

// call sends a control request with an optional JSON body and decodes a JSON answer into
// out when out is non-nil.
func (g *Google) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("scenarios: mockgoogle %s: %w", path, err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, g.base+path, body)
	if err != nil {
		return fmt.Errorf("scenarios: mockgoogle %s: %w", path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", jsonType)
	}
	resp, err := g.http.Do(req)
	if err != nil {
		return fmt.Errorf("scenarios: mockgoogle %s: %w", path, transportError(err))
	}
	defer resp.Body.Close()

	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("scenarios: mockgoogle %s: %w", path, err)
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("scenarios: mockgoogle %s %s: %d %s", method, path, resp.StatusCode,
			clip(string(data), 200))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("scenarios: mockgoogle %s: decode answer: %w", path, err)
	}
	return nil
}
