package refserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Paths refserver serves.
const (
	pathLogin   = "/social-login/google/"
	pathRefresh = "/auth/token/refresh/"
	pathUser    = "/auth/user/"
	pathLogout  = "/auth/logout/"
	pathJWKS    = "/auth/jwks/"
	pathHealth  = "/healthz"
	pathClock   = "/_refserver/clock"
)

// handlerFunc is an endpoint: it answers, or returns the error [Server.writeError] renders.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// routes assembles the endpoints. Every path also answers other methods with a JSON 405,
// and unknown paths with a JSON 404.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	s.route(mux, http.MethodPost, pathLogin, s.serveLogin)
	s.route(mux, http.MethodPost, pathRefresh, s.serveRefresh)
	s.route(mux, http.MethodGet, pathUser, s.serveUser)
	s.route(mux, http.MethodPost, pathLogout, s.serveLogout)
	s.route(mux, http.MethodGet, pathHealth, s.serveHealth)
	s.route(mux, http.MethodPost, pathGraphQL, s.serveGraphQL)
	s.route(mux, http.MethodGet, pathGraphQLSchema, s.serveGraphQLSchema)
	if s.keys.jwks != nil {
		s.route(mux, http.MethodGet, pathJWKS, s.serveJWKS)
	}
	if s.cfg.TestClock {
		s.route(mux, http.MethodPost, pathClock, s.serveClock)
	}
	mux.Handle("/", s.endpoint(func(http.ResponseWriter, *http.Request) error {
		return statusError(http.StatusNotFound, "Not found.", "invalid_request")
	}))
	return s.withRequestLog(mux)
}

// route registers fn for method on the exact path, and a 405 for every other method.
func (s *Server) route(mux *http.ServeMux, method, path string, fn handlerFunc) {
	pattern := path
	if strings.HasSuffix(path, "/") {
		pattern += "{$}"
	}
	mux.Handle(method+" "+pattern, s.endpoint(fn))
	mux.Handle(pattern, s.endpoint(func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Allow", method)
		return statusError(http.StatusMethodNotAllowed,
			fmt.Sprintf("Method %q not allowed.", r.Method), "invalid_request")
	}))
}

// endpoint adapts fn to http.Handler, rendering its error.
func (s *Server) endpoint(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// healthResponse is the answer of GET /healthz.
type healthResponse struct {
	Status string `json:"status"`
}

// serveHealth answers 200 while the database answers.
func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.r.PingContext(r.Context()); err != nil {
		return statusError(http.StatusServiceUnavailable, "Database unavailable.",
			"temporarily_unavailable")
	}
	s.writeJSON(w, r, http.StatusOK, healthResponse{Status: "ok"})
	return nil
}

// serveJWKS publishes the public key of RS256 and EdDSA servers.
func (s *Server) serveJWKS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	if _, err := w.Write(s.keys.jwks); err != nil {
		s.log.DebugContext(r.Context(), "write response", "err", err)
	}
	return nil
}

// clockResponse is the answer of POST /_refserver/clock.
type clockResponse struct {
	Now string `json:"now"` // RFC 3339
}

// serveClock moves the server's clock forward by the Go duration in the body's "advance"
// field (test clock only).
func (s *Server) serveClock(w http.ResponseWriter, r *http.Request) error {
	f, err := decodeBody(w, r)
	if err != nil {
		return err
	}
	raw, ok, err := f.get("advance")
	switch {
	case err != nil:
		return err
	case !ok:
		return fieldError("advance", msgRequired)
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d < 0 {
		return fieldError("advance", "Not a non-negative Go duration.")
	}

	now := s.clock.advance(d)
	s.log.InfoContext(r.Context(), "clock advanced", "advance", d, "now", now)
	s.writeJSON(w, r, http.StatusOK, clockResponse{Now: now.UTC().Format(time.RFC3339)})
	return nil
}

// writeJSON writes v as compact JSON with the given status.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		s.log.ErrorContext(r.Context(), "encode response", "err", err)
		status, body = http.StatusInternalServerError, []byte(`{"detail":"encode error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if _, err := w.Write(body); err != nil {
		s.log.DebugContext(r.Context(), "write response", "err", err)
	}
}
