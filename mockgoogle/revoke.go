package mockgoogle

import "net/http"

// serveRevoke answers POST /revoke (RFC 7009 as Google serves it): the token comes in the
// form or the query; revoking either token of a grant revokes both.
func (s *Server) serveRevoke(w http.ResponseWriter, _ *http.Request, c *call) error {
	if len(c.form["token"]) > 1 {
		return badRequest("Duplicate parameter: token")
	}
	token := c.form.Get("token")
	if token == "" {
		return badRequest("Missing required parameter: token")
	}
	c.tokenFP = fingerprint(token)

	if !s.store.revoke(token) {
		return &oauthError{
			status: http.StatusBadRequest, code: codeInvalidToken,
			description: "Token expired or revoked",
		}
	}
	writeJSON(w, s.log, http.StatusOK, struct{}{})
	return nil
}
