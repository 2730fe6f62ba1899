package refserver

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// serveRefresh is POST /auth/token/refresh/, SimpleJWT's TokenRefreshView: {"refresh"} in,
// {"access","refresh"} out. In cookie mode the refresh cookie stands in for the field.
func (s *Server) serveRefresh(w http.ResponseWriter, r *http.Request) error {
	f, err := decodeBody(w, r)
	if err != nil {
		return err
	}
	value, err := bodyRefresh(f, s.tokenCookie(r, cookieRefresh), "refresh")
	if err != nil {
		return err
	}

	p, err := s.refresh(r.Context(), value)
	if err != nil {
		return err
	}
	s.writeRefresh(w, r, p)
	return nil
}

// refresh verifies a refresh token and rotates it, answering the new pair.
func (s *Server) refresh(ctx context.Context, raw string) (pair, error) {
	c, err := s.verifier.verify(raw, typeRefresh)
	if err != nil {
		return pair{}, refreshTokenError(err)
	}
	userID, _ := c.userID()
	now := s.clock.now()

	switch {
	case c.TokenType == typeAccess: // only with no-type-check
		g := s.issuer.newGrant(userID, now, now.Unix())
		if err := s.store.openSession(ctx, &g, now); err != nil {
			return pair{}, err
		}
		return s.keys.signPair(g)
	case s.faults.on(FaultNoRotate):
		return s.refreshWithoutRotation(ctx, raw, c.ID, now)
	}

	next := s.issuer.newGrant(userID, now, unixOr(c.IssuedAt, now.Unix()))
	g, err := s.store.rotate(ctx, c.ID, next, now)
	if errors.Is(err, errReused) {
		s.log.WarnContext(ctx, "refresh token reused", "user_id", userID,
			"token_fp", fingerprint(raw))
	}
	if err != nil {
		return pair{}, storeTokenError(err)
	}
	p, err := s.keys.signPair(g)
	if err != nil {
		return pair{}, err
	}
	s.log.DebugContext(ctx, "rotated", "user_id", g.UserID, "token_fp", fingerprint(raw),
		"grace", g.JTI != next.JTI)
	return p, nil
}

// refreshWithoutRotation is the no-rotate fault: a new access token, and the presented
// refresh token back.
func (s *Server) refreshWithoutRotation(ctx context.Context, raw, jti string,
	now time.Time) (pair, error) {
	g, err := s.store.check(ctx, jti)
	if err != nil {
		return pair{}, storeTokenError(err)
	}
	fresh := s.issuer.newGrant(g.UserID, now, g.IssuedAt)
	access, err := s.keys.signAccess(fresh)
	if err != nil {
		return pair{}, err
	}
	return pair{access: access, refresh: raw, accessExp: fresh.AccessExpiresAt,
		refreshExp: g.ExpiresAt}, nil
}

// refreshTokenError turns a refused refresh token into its answer.
func refreshTokenError(err error) error {
	var te *tokenError
	if !errors.As(err, &te) {
		return err
	}
	e := refreshError(te.msg, err)
	e.malformed = te.malformed
	return e
}

// storeTokenError turns the store's verdict on a refresh token into its answer.
func storeTokenError(err error) error {
	switch {
	case errors.Is(err, errRevoked), errors.Is(err, errReused):
		return refreshError(msgBlacklisted, err)
	case errors.Is(err, errUnknownToken):
		return refreshError(msgInvalidOrExpired, err)
	}
	return err
}

// unixOr returns d in Unix seconds, or def when the claim is absent.
func unixOr(d *jwt.NumericDate, def int64) int64 {
	if d == nil {
		return def
	}
	return d.Unix()
}
