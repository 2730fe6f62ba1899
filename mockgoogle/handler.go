package mockgoogle

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// maxBodyBytes bounds request bodies; Google's requests are a few hundred bytes.
const maxBodyBytes = 64 << 10

// call is one request to a provider endpoint, parsed once by the endpoint wrapper.
type call struct {
	form       url.Values // body fields first, then query fields
	fault      Fault      // an id_token fault to apply; Kind is empty when there is none
	clientAuth string
	clientID   string // for the log, once known
	tokenFP    string // fingerprint of the code or token presented, for the log
}

// endpointFunc serves one provider endpoint. It writes the answer on success and returns
// the error to answer otherwise.
type endpointFunc func(w http.ResponseWriter, r *http.Request, c *call) error

// handle registers an endpoint behind the wrapper that every provider endpoint shares: it
// checks the method, parses the fields, applies faults, and logs and records the call.
func (s *Server) handle(mux *http.ServeMux, path string, ep Endpoint, methods []string,
	h endpointFunc) {
	mux.HandleFunc(path, func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		arrived := s.clock.now()
		w := &statusWriter{ResponseWriter: rw}
		c := &call{clientAuth: clientAuthOf(r)}

		err := s.serveCall(w, r, ep, methods, c, h)
		if err != nil {
			s.writeCallError(w, ep, err)
		}

		s.reqlog.add(LoggedRequest{
			Time: arrived, Endpoint: ep, Method: r.Method, Path: r.URL.Path,
			Status: w.code(), Fields: fieldNames(c.form), ClientAuth: c.clientAuth,
		})
		attrs := []any{"endpoint", ep, "method", r.Method, "status", w.code(),
			"elapsed", time.Since(start)}
		if c.clientID != "" {
			attrs = append(attrs, "client_id", c.clientID)
		}
		if c.tokenFP != "" {
			attrs = append(attrs, "token_fp", c.tokenFP)
		}
		if err != nil {
			attrs = append(attrs, "err", err)
		}
		s.log.InfoContext(r.Context(), "request", attrs...)
	})
}

// serveCall runs the steps of the wrapper that can fail: method, fields, faults, endpoint.
func (s *Server) serveCall(w http.ResponseWriter, r *http.Request, ep Endpoint,
	methods []string, c *call, h endpointFunc) error {
	if !slices.Contains(methods, r.Method) {
		w.Header().Set("Allow", strings.Join(methods, ", "))
		return &oauthError{
			status: http.StatusMethodNotAllowed, code: codeInvalidRequest,
			description: "Method not allowed: " + r.Method,
		}
	}
	form, err := readForm(w, r)
	if err != nil {
		return err
	}
	c.form = form
	if c.clientAuth == ClientAuthNone && form.Has("client_secret") {
		c.clientAuth = ClientAuthPost
	}

	f, ok := s.faults.take(ep, form.Get("code"))
	if ok && f.Latency > 0 {
		if err := s.wait(r, f.Latency); err != nil {
			return err
		}
	}
	switch {
	case ok && f.replaces():
		writeFault(w, f)
		return nil
	case ok:
		c.fault = f
	}
	return h(w, r, c)
}

// wait sleeps for d, or less if the request is cancelled or the server closes.
func (s *Server) wait(r *http.Request, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-r.Context().Done():
		return &oauthError{
			status: http.StatusServiceUnavailable, code: codeServerError,
			description: "Request cancelled",
		}
	case <-s.done:
		return &oauthError{
			status: http.StatusServiceUnavailable, code: codeServerError,
			description: "Server shutting down",
		}
	}
}

// readForm returns the fields of the query and, for a POST, of a form-encoded body.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest("Invalid query string")
	}
	if r.Method != http.MethodPost {
		return query, nil
	}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, &oauthError{
			status: http.StatusRequestEntityTooLarge, code: codeInvalidRequest,
			description: "Request body too large", cause: ErrInvalidRequest,
		}
	case err != nil:
		return nil, badRequest("Unreadable request body")
	}
	form := url.Values{}
	if len(body) > 0 {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "application/x-www-form-urlencoded" && ct != "" {
			return nil, badRequest("Invalid content type: " + ct)
		}
		if form, err = url.ParseQuery(string(body)); err != nil {
			return nil, badRequest("Invalid form body")
		}
	}
	for k, vs := range query {
		form[k] = append(form[k], vs...)
	}
	return form, nil
}

// clientAuthOf says how the request authenticates its client.
func clientAuthOf(r *http.Request) string {
	scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if strings.EqualFold(scheme, "Basic") {
		return ClientAuthBasic
	}
	return ClientAuthNone
}

// fieldNames returns the sorted field names of form.
func fieldNames(form url.Values) []string {
	names := make([]string, 0, len(form))
	for k := range form {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// writeCallError answers err: an error page for authorization requests that cannot be
// redirected, a JSON error body otherwise.
func (s *Server) writeCallError(w http.ResponseWriter, ep Endpoint, err error) {
	var page *pageError
	if ep == EndpointAuthorize && errors.As(err, &page) {
		s.writeErrorPage(w, page)
		return
	}
	writeError(w, s.log, err)
}

// writeError is the one OAuth error writer. Errors that are not OAuth errors are the
// server's own failures and answer 500 server_error.
func writeError(w http.ResponseWriter, log *slog.Logger, err error) {
	var oe *oauthError
	if !errors.As(err, &oe) {
		log.Error("internal error", "err", err)
		oe = &oauthError{
			status: http.StatusInternalServerError, code: codeServerError,
			description: "Internal error",
		}
	}
	writeJSON(w, log, oe.status, errorBody{Error: oe.code, Description: oe.description})
}

// writeJSON is the one JSON writer.
func writeJSON(w http.ResponseWriter, log *slog.Logger, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		log.Error("encode json", "err", err)
		status = http.StatusInternalServerError
		body = []byte(`{"error": "server_error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if _, err := w.Write(append(body, '\n')); err != nil {
		log.Debug("write response", "err", err)
	}
}

// statusWriter remembers the status an answer was written with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
