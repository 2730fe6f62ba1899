package refserver

import (
	"context"
	"errors"
	"net/http"
)

// logoutResponse is the answer of a logout.
type logoutResponse struct {
	Detail string `json:"detail"`
}

// serveLogout is POST /auth/logout/: it revokes the family of the refresh token in the
// body ("refresh" or "refresh_token") or, in cookie mode, the refresh cookie, and clears
// the cookies whatever the outcome. Logging out of a revoked session succeeds.
func (s *Server) serveLogout(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Cookies {
		s.clearTokenCookies(w)
	}
	f, err := decodeBody(w, r)
	if err != nil {
		return err
	}
	value, err := bodyRefresh(f, s.tokenCookie(r, cookieRefresh), "refresh", "refresh_token")
	if err != nil {
		return err
	}

	if err := s.logout(r.Context(), value); err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, logoutResponse{Detail: "Successfully logged out."})
	return nil
}

// logout revokes the family of the refresh token raw (nothing under the logout-noop
// fault). Logging out of a revoked session succeeds.
func (s *Server) logout(ctx context.Context, raw string) error {
	c, err := s.verifier.verify(raw, typeRefresh)
	if err != nil {
		return refreshTokenError(err)
	}
	if !s.faults.on(FaultLogoutNoop) {
		err := s.store.revoke(ctx, c.ID, "logout", s.clock.now())
		if errors.Is(err, errUnknownToken) {
			return refreshError(msgInvalidOrExpired, err)
		}
		if err != nil {
			return err
		}
	}
	s.log.InfoContext(ctx, "logged out", "token_fp", fingerprint(raw))
	return nil
}
