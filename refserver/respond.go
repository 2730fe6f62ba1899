package refserver

import (
	"errors"
	"html"
	"net/http"
)

// writeError renders err in the configured error style. An error that is not an *apiError
// is a server failure and becomes a generic 500.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *apiError
	if !errors.As(err, &e) {
		e = internalError(err)
	}
	ctx := r.Context()
	if e.malformed && s.faults.on(FaultCrashOnGarbage) {
		s.log.DebugContext(ctx, "request refused", "status", 500, "err", err)
		s.writeDebugPage(w, r, e)
		return
	}

	status, body := e.status, any(e.body)
	if s.cfg.ErrorStyle == styleRFC6749 {
		status, body = e.oauthCode, e.oauth
	}
	if e.bearer && status == http.StatusUnauthorized {
		challenge := `Bearer realm="api"`
		if s.cfg.ErrorStyle == styleRFC6749 {
			challenge += `, error="` + e.oauth.Error + `"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
	}

	if status >= http.StatusInternalServerError {
		s.log.ErrorContext(ctx, "request failed", "status", status, "err", err)
	} else {
		s.log.DebugContext(ctx, "request refused", "status", status, "err", err)
	}
	s.writeJSON(w, r, status, body)
}

// writeDebugPage is the crash-on-garbage fault: the HTML error page of a framework left in
// debug mode.
func (s *Server) writeDebugPage(w http.ResponseWriter, r *http.Request, e *apiError) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	page := "<!DOCTYPE html><html><head><title>ValueError at /</title></head><body>" +
		"<h1>ValueError</h1><pre>Traceback (most recent call last):\n" +
		"  File \"views.py\", line 42, in post\n" +
		html.EscapeString(e.Error()) + "</pre>" +
		"<p>You're seeing this error because you have DEBUG = True.</p></body></html>"
	if _, err := w.Write([]byte(page)); err != nil {
		s.log.DebugContext(r.Context(), "write response", "err", err)
	}
}
