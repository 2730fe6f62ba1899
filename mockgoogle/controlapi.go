package mockgoogle

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"
)

// controlFunc serves one request of the control API. It writes the answer on success and
// returns the error to answer otherwise.
type controlFunc func(w http.ResponseWriter, r *http.Request) error

// controlRoutes registers the HTTP control API under /_mock/ (docs/internals.md).
func (s *Server) controlRoutes(mux *http.ServeMux) {
	routes := map[string]map[string]controlFunc{
		"/_mock/users/next":  {http.MethodPost: s.postUser},
		"/_mock/codes":       {http.MethodPost: s.postCode},
		"/_mock/faults":      {http.MethodPost: s.postFault, http.MethodDelete: s.deleteFaults},
		"/_mock/keys/rotate": {http.MethodPost: s.postRotate},
		"/_mock/clock":       {http.MethodPost: s.postClock},
		"/_mock/requests":    {http.MethodGet: s.getRequests, http.MethodDelete: s.deleteRequests},
	}
	for path, methods := range routes {
		mux.HandleFunc(path, s.control(methods))
	}
}

// control wraps the handlers of one control path: it refuses non-loopback peers unless
// AllowRemoteControl, dispatches on the method and writes errors as JSON.
func (s *Server) control(methods map[string]controlFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := s.serveControl(w, r, methods)
		attrs := []any{"method", r.Method, "path", r.URL.Path}
		if err != nil {
			attrs = append(attrs, "err", err)
			var oe *oauthError
			if !errors.As(err, &oe) {
				err = &oauthError{
					status: http.StatusBadRequest, code: codeInvalidRequest,
					description: err.Error(),
				}
			}
			writeError(w, s.log, err)
		}
		s.log.InfoContext(r.Context(), "control", attrs...)
	}
}

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request,
	methods map[string]controlFunc) error {
	if !s.cfg.AllowRemoteControl && !loopbackPeer(r) {
		return &oauthError{
			status: http.StatusForbidden, code: "forbidden",
			description: "the control API is served to loopback peers only",
		}
	}
	h, ok := methods[r.Method]
	if !ok {
		allowed := make([]string, 0, len(methods))
		for m := range methods {
			allowed = append(allowed, m)
		}
		sort.Strings(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		return &oauthError{
			status: http.StatusMethodNotAllowed, code: codeInvalidRequest,
			description: "Method not allowed: " + r.Method,
		}
	}
	return h(w, r)
}

// loopbackPeer reports whether the request comes from a loopback address.
func loopbackPeer(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// decodeJSON reads a JSON body into v, refusing unknown fields, trailing data and bodies
// over maxBodyBytes.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("mockgoogle: decode request body: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("mockgoogle: decode request body: trailing data")
	}
	return nil
}

// userWire is a user in control requests and config files: email_verified defaults to
// true, as for most Google accounts.
type userWire struct {
	Sub           string `json:"sub" yaml:"sub"`
	Email         string `json:"email" yaml:"email"`
	EmailVerified *bool  `json:"email_verified" yaml:"email_verified"`
	Name          string `json:"name" yaml:"name"`
	GivenName     string `json:"given_name" yaml:"given_name"`
	FamilyName    string `json:"family_name" yaml:"family_name"`
	Picture       string `json:"picture" yaml:"picture"`
	Locale        string `json:"locale" yaml:"locale"`
	HD            string `json:"hd" yaml:"hd"`
}

func (u userWire) user() User {
	verified := u.EmailVerified == nil || *u.EmailVerified
	return User{
		Sub: u.Sub, Email: u.Email, EmailVerified: verified, Name: u.Name,
		GivenName: u.GivenName, FamilyName: u.FamilyName, Picture: u.Picture,
		Locale: u.Locale, HD: u.HD,
	}
}

// postUser answers POST /_mock/users/next.
func (s *Server) postUser(w http.ResponseWriter, r *http.Request) error {
	var in userWire
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	u := in.user()
	if err := validateUsers([]User{u}); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	s.QueueUser(u)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// postCode answers POST /_mock/codes.
func (s *Server) postCode(w http.ResponseWriter, r *http.Request) error {
	var req CodeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	code, err := s.MintCode(req)
	if err != nil {
		return err
	}
	writeJSON(w, s.log, http.StatusOK, map[string]string{"code": code})
	return nil
}

// faultWire is a fault in control requests. Body may be a JSON string, taken as is, or
// any other JSON value, answered as its JSON text.
type faultWire struct {
	Endpoint Endpoint        `json:"endpoint"`
	Count    int             `json:"count"`
	Status   int             `json:"status"`
	Body     json.RawMessage `json:"body"`
	Latency  string          `json:"latency"` // a Go duration, such as "1.5s"
	Kind     FaultKind       `json:"kind"`
	Code     string          `json:"code"`
}

// postFault answers POST /_mock/faults.
func (s *Server) postFault(w http.ResponseWriter, r *http.Request) error {
	var in faultWire
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	f := Fault{Endpoint: in.Endpoint, Count: in.Count, Status: in.Status, Kind: in.Kind,
		Code: in.Code}
	if in.Latency != "" {
		d, err := time.ParseDuration(in.Latency)
		if err != nil {
			return fmt.Errorf("%w: latency: %w", ErrInvalidRequest, err)
		}
		f.Latency = d
	}
	if len(in.Body) > 0 && string(in.Body) != "null" {
		if err := json.Unmarshal(in.Body, &f.Body); err != nil {
			f.Body = string(in.Body)
		}
	}
	if err := f.validate(); err != nil {
		return err
	}

	s.faults.add(f)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteFaults answers DELETE /_mock/faults.
func (s *Server) deleteFaults(w http.ResponseWriter, _ *http.Request) error {
	s.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// postRotate answers POST /_mock/keys/rotate.
func (s *Server) postRotate(w http.ResponseWriter, _ *http.Request) error {
	kid, err := s.keys.rotate()
	if err != nil {
		return err
	}
	writeJSON(w, s.log, http.StatusOK, map[string]string{"kid": kid})
	return nil
}

// postClock answers POST /_mock/clock.
func (s *Server) postClock(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Advance string `json:"advance"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := time.ParseDuration(in.Advance)
	if err != nil {
		return fmt.Errorf("%w: advance: %w", ErrInvalidRequest, err)
	}
	if d < 0 {
		return fmt.Errorf("%w: advance: the clock only moves forward", ErrInvalidRequest)
	}

	now := s.clock.advance(d)
	writeJSON(w, s.log, http.StatusOK, map[string]string{"now": now.Format(time.RFC3339)})
	return nil
}

// getRequests answers GET /_mock/requests.
func (s *Server) getRequests(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, s.log, http.StatusOK, s.Requests())
	return nil
}

// deleteRequests answers DELETE /_mock/requests.
func (s *Server) deleteRequests(w http.ResponseWriter, _ *http.Request) error {
	s.ResetRequests()
	w.WriteHeader(http.StatusNoContent)
	return nil
}
