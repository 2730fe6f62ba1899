package mockgoogle

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"time"
)

// tokenResponse is the token endpoint's answer (RFC 6749 §5.1) in Google's field order.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"` // seconds (RFC 6749 §5.1); never a time.Duration
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
	TokenType    string `json:"token_type"`
	IDToken      string `json:"id_token,omitempty"`
}

// serveToken answers POST /token for the authorization_code and refresh_token grants.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, c *call) error {
	req, err := parseTokenRequest(c.form, r.Header.Get("Authorization"))
	if err != nil {
		return err
	}
	c.clientID = req.ClientID
	if !knownGrantType(req.GrantType) {
		return grantTypeError(req.GrantType)
	}
	if _, err := s.authenticate(req); err != nil {
		return err
	}

	var resp *tokenResponse
	if req.GrantType == grantAuthorizationCode {
		c.tokenFP = fingerprintIf(req.Code)
		resp, err = s.exchangeCode(r, req, c.fault.Kind)
	} else {
		c.tokenFP = fingerprintIf(req.RefreshToken)
		resp, err = s.refresh(r, req, c.fault.Kind)
	}
	if err != nil {
		return err
	}

	w.Header().Set("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, s.log, http.StatusOK, resp)
	return nil
}

// authenticate checks the client's credentials, with Google's errors.
func (s *Server) authenticate(req tokenRequest) (Client, error) {
	if req.ClientID == "" {
		return Client{}, badRequest("Could not determine client ID from request.")
	}
	client, ok := s.client(req.ClientID)
	if !ok {
		return Client{}, &oauthError{
			status: http.StatusUnauthorized, code: codeInvalidClient,
			description: "The OAuth client was not found.", cause: ErrUnknownClient,
		}
	}
	if req.ClientSecret == "" {
		return Client{}, badRequest("client_secret is missing.")
	}
	if subtle.ConstantTimeCompare([]byte(req.ClientSecret), []byte(client.Secret)) != 1 {
		return Client{}, &oauthError{
			status: http.StatusUnauthorized, code: codeInvalidClient, description: "Unauthorized",
		}
	}
	return client, nil
}

// exchangeCode redeems an authorization code (RFC 6749 §4.1.3, RFC 7636 §4.6).
func (s *Server) exchangeCode(r *http.Request, req tokenRequest, fault FaultKind) (
	*tokenResponse, error) {
	switch {
	case req.Code == "":
		return nil, badRequest("Missing required parameter: code")
	case req.RedirectURI == "":
		return nil, badRequest("Missing parameter: redirect_uri")
	case !wellFormedCode(req.Code):
		return nil, invalidGrant("Malformed auth code.")
	}

	now := s.clock.now()
	code, err := s.store.redeemCode(req.Code, now, func(c *codeGrant) error {
		return checkRedemption(c, req)
	})
	if err != nil {
		return nil, err
	}
	return s.issue(r, issueRequest{grant: code.grant, now: now, code: code, fault: fault})
}

// checkRedemption checks that a code is presented by the client it was issued to, with
// its redirect URI and the verifier of its PKCE challenge.
func checkRedemption(c *codeGrant, req tokenRequest) error {
	if c.clientID != req.ClientID {
		return invalidGrant("Bad Request")
	}
	if c.redirectURI != req.RedirectURI {
		return &oauthError{
			status: http.StatusBadRequest, code: codeRedirectURIMismatch,
			description: "Bad Request",
		}
	}
	if c.challenge == "" {
		return nil
	}
	if req.CodeVerifier == "" {
		return invalidGrant("Missing code verifier.")
	}
	want := req.CodeVerifier
	if c.method == "S256" {
		sum := sha256.Sum256([]byte(req.CodeVerifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	if !validPKCEString(req.CodeVerifier) ||
		subtle.ConstantTimeCompare([]byte(want), []byte(c.challenge)) != 1 {
		return invalidGrant("Invalid code verifier.")
	}
	return nil
}

// refresh answers a refresh_token grant (RFC 6749 §6). Like Google it answers no new
// refresh token: the one presented stays valid.
func (s *Server) refresh(r *http.Request, req tokenRequest, fault FaultKind) (
	*tokenResponse, error) {
	if req.RefreshToken == "" {
		return nil, badRequest("Missing required parameter: refresh_token")
	}
	g, ok := s.store.lookupRefresh(req.RefreshToken)
	if !ok {
		return nil, invalidGrant("Token has been expired or revoked.")
	}
	if g.clientID != req.ClientID {
		return nil, &oauthError{
			status: http.StatusUnauthorized, code: codeUnauthorizedClient,
			description: "Unauthorized",
		}
	}

	// A refreshed id_token carries no nonce: there is no authentication request to echo.
	g.nonce = ""
	return s.issue(r, issueRequest{
		grant: g, now: s.clock.now(), refresh: req.RefreshToken, fault: fault,
	})
}

// issueRequest says what to issue tokens for.
type issueRequest struct {
	grant   grant
	now     time.Time
	refresh string     // the refresh token of a refresh grant
	code    *codeGrant // the code of a code grant
	fault   FaultKind
}

// issue stores new tokens for a grant and returns the token response.
func (s *Server) issue(r *http.Request, ir issueRequest) (*tokenResponse, error) {
	access, refresh := s.store.addTokens(ir.grant, ir.now, ir.refresh, ir.code)
	resp := &tokenResponse{
		AccessToken:  access,
		ExpiresIn:    expiresIn,
		RefreshToken: refresh,
		Scope:        ir.grant.scope,
		TokenType:    "Bearer",
	}
	if hasScope(ir.grant.scope, scopeOpenID) {
		idToken, err := s.idToken(r, ir.grant, access, ir.now, ir.fault)
		if err != nil {
			return nil, err
		}
		resp.IDToken = idToken
	}
	s.log.DebugContext(r.Context(), "token issued", "client_id", ir.grant.clientID,
		"sub", ir.grant.user.Sub, "scope", ir.grant.scope, "token_fp", fingerprint(access))
	return resp, nil
}

// fingerprintIf returns the fingerprint of a non-empty token.
func fingerprintIf(token string) string {
	if token == "" {
		return ""
	}
	return fingerprint(token)
}
