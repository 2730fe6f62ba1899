package refserver

import (
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

	c, err := s.verifier.verify(value, typeRefresh)
	if err != nil {
		return refreshTokenError(err)
	}
	if !s.faults.on(FaultLogoutNoop) {
		err := s.store.revoke(r.Context(), c.ID, "logout", s.clock.now())
		if errors.Is(err, errUnknownToken) {
			return refreshError(msgInvalidOrExpired, err)
		}
		if err != nil {
			return err
		}
	}

	s.log.InfoContext(r.Context(), "logged out", "token_fp", fingerprint(value))
	s.writeJSON(w, r, http.StatusOK, logoutResponse{Detail: "Successfully logged out."})
	return nil
}
