package refserver

import (
	"context"
	"errors"
	"net/http"
)

// Grant types the login endpoint tells apart.
const (
	grantCode    = "authorization_code"
	grantRefresh = "refresh_token"
)

// loginRequest is a parsed POST /social-login/google/: a code to exchange, or a refresh
// token to rotate.
type loginRequest struct {
	isRefresh bool
	refresh   string   // the refresh token, when isRefresh
	code      exchange // the code, when not
}

// parseLoginRequest reads a sign-in or a refresh from f. It tells them apart by
// grant_type, then by which of code and refresh_token (or refresh) is present; in cookie
// mode a body with neither refreshes with the refresh cookie.
func parseLoginRequest(f fields, cookie string) (loginRequest, error) {
	grantType, _, err := f.get("grant_type")
	if err != nil {
		return loginRequest{}, err
	}
	code, hasCode, err := f.get("code")
	if err != nil {
		return loginRequest{}, err
	}
	hasRefresh := f.has("refresh_token") || f.has("refresh") || cookie != ""

	switch {
	case grantType != "" && grantType != grantCode && grantType != grantRefresh:
		return loginRequest{}, unsupportedGrant(grantType)
	case grantType == grantRefresh || (grantType == "" && !hasCode && hasRefresh):
		refresh, err := bodyRefresh(f, cookie, "refresh_token", "refresh")
		return loginRequest{isRefresh: true, refresh: refresh}, err
	}
	if err := requireValue("code", code, hasCode); err != nil {
		return loginRequest{}, err
	}

	req := loginRequest{code: exchange{code: code}}
	if req.code.verifier, _, err = f.get("code_verifier"); err != nil {
		return loginRequest{}, err
	}
	if req.code.redirectURI, _, err = f.get("redirect_uri"); err != nil {
		return loginRequest{}, err
	}
	return req, nil
}

// bodyRefresh returns the refresh token in the first of the named fields present in f,
// else the cookie value. A missing token is an error naming the first field.
func bodyRefresh(f fields, cookie string, names ...string) (string, error) {
	for _, name := range names {
		v, ok, err := f.get(name)
		if err != nil {
			return "", err
		}
		if ok {
			return v, requireValue(name, v, true)
		}
	}
	return cookie, requireValue(names[0], cookie, cookie != "")
}

// requireValue is DRF's check of a required string field.
func requireValue(name, value string, present bool) error {
	switch {
	case !present:
		return fieldError(name, msgRequired)
	case value == "":
		return fieldError(name, msgBlank)
	}
	return nil
}

// unsupportedGrant refuses a grant type the login endpoint does not handle.
func unsupportedGrant(grantType string) *apiError {
	e := fieldError("grant_type", "Unsupported grant type.")
	e.oauth = oauthError{"unsupported_grant_type", "unsupported grant_type " + grantType}
	return e
}

// serveLogin is POST /social-login/google/: a Google sign-in with a code, or a refresh.
func (s *Server) serveLogin(w http.ResponseWriter, r *http.Request) error {
	f, err := decodeBody(w, r)
	if err != nil {
		return err
	}
	if s.faults.on(FaultJSONOnly) && f.encoding != encJSON {
		return unsupportedMedia(r.Header.Get("Content-Type"), nil)
	}
	req, err := parseLoginRequest(f, s.tokenCookie(r, cookieRefresh))
	if err != nil {
		return err
	}

	if req.isRefresh {
		if s.faults.on(FaultCodeOnly) {
			return fieldError("code", msgRequired)
		}
		p, err := s.refresh(r.Context(), req.refresh)
		if err != nil {
			return err
		}
		s.writeLogin(w, r, p, true)
		return nil
	}

	p, err := s.signIn(r.Context(), req.code)
	if err != nil {
		return err
	}
	s.writeLogin(w, r, p, false)
	return nil
}

// signIn exchanges the code at Google, records the user and opens a session.
func (s *Server) signIn(ctx context.Context, ex exchange) (pair, error) {
	u, err := s.googleUser(ctx, ex)
	if err != nil {
		return pair{}, err
	}

	now := s.clock.now()
	if err := s.store.recordUser(ctx, &u, now); err != nil {
		return pair{}, err
	}
	g := s.issuer.newGrant(u.ID, now, now.Unix())
	if err := s.store.openSession(ctx, &g, now); err != nil {
		return pair{}, err
	}
	p, err := s.keys.signPair(g)
	if err != nil {
		return pair{}, err
	}

	s.log.InfoContext(ctx, "signed in", "sub", u.Sub, "user_id", u.ID,
		"token_fp", fingerprint(p.refresh))
	return p, nil
}

// googleUser asks Google who the code belongs to, mapping its failures to 4xx and 502.
func (s *Server) googleUser(ctx context.Context, ex exchange) (user, error) {
	if s.codes != nil {
		if u, ok := s.codes.get(ex.code); ok {
			return u, nil
		}
	}
	if ex.redirectURI == "" {
		ex.redirectURI = s.cfg.RedirectURL
	}
	if s.faults.on(FaultDropVerifier) {
		ex.verifier = ""
	}

	u, err := s.google.signIn(ctx, ex)
	switch {
	case err == nil:
	case s.faults.on(FaultGoogleError500):
		return user{}, internalError(err)
	case errors.Is(err, errGoogleRefused):
		return user{}, googleRejected(err)
	default:
		return user{}, googleUnavailable(err)
	}

	if s.codes != nil {
		s.codes.put(ex.code, u)
	}
	return u, nil
}
