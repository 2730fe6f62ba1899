package mockgoogle

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// serveUserinfo answers the OpenID Connect UserInfo endpoint (OpenID Connect Core §5.3)
// at /v1/userinfo and at Google's legacy /oauth2/v3/userinfo, which use the same claim
// names. Claims follow the granted scope, as with Google.
func (s *Server) serveUserinfo(w http.ResponseWriter, r *http.Request, c *call) error {
	token := bearerToken(r, c.form)
	c.tokenFP = fingerprintIf(token)
	a, ok := s.store.lookupAccess(token, s.clock.now())
	if !ok {
		// RFC 6750 §3: the challenge says why; Google's body says "Invalid Credentials".
		w.Header().Set("WWW-Authenticate",
			`Bearer realm="`+s.issuer(r)+`/", error="invalid_token"`)
		return &oauthError{
			status: http.StatusUnauthorized, code: codeInvalidRequest,
			description: "Invalid Credentials",
		}
	}
	c.clientID = a.clientID

	claims := jwt.MapClaims{"sub": a.user.Sub}
	a.nonce = ""
	addProfileClaims(claims, a.grant)
	writeJSON(w, s.log, http.StatusOK, claims)
	return nil
}

// bearerToken returns the access token of a request: from the Authorization header
// (RFC 6750 §2.1), else from an access_token field (§2.2 and §2.3), which Google accepts.
func bearerToken(r *http.Request, form url.Values) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(token)
	}
	if len(form["access_token"]) == 1 {
		return form.Get("access_token")
	}
	return ""
}
