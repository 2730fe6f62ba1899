package mockgoogle

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Paths of the authorization endpoint and of the account chooser's form.
const (
	authorizePath = "/o/oauth2/v2/auth"
	chooserPath   = "/o/oauth2/auth/oauthchooseaccount"
)

// authRequest is an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, Google's
// web-server guide), parsed once.
type authRequest struct {
	ClientID            string
	RedirectURI         string
	ResponseType        string
	Scope               string
	State               string
	Nonce               string
	AccessType          string
	Prompt              string
	LoginHint           string
	CodeChallenge       string
	CodeChallengeMethod string
}

// fields returns the request's non-empty fields by name, to post it again.
func (req *authRequest) fields() map[string]string {
	all := map[string]string{
		"client_id": req.ClientID, "redirect_uri": req.RedirectURI,
		"response_type": req.ResponseType, "scope": req.Scope, "state": req.State,
		"nonce": req.Nonce, "access_type": req.AccessType, "prompt": req.Prompt,
		"login_hint": req.LoginHint, "code_challenge": req.CodeChallenge,
		"code_challenge_method": req.CodeChallengeMethod,
	}
	for k, v := range all {
		if v == "" {
			delete(all, k)
		}
	}
	return all
}

// parseAuthRequest reads an authorization request. A repeated field is refused with an
// error page, since which redirect URI or client was meant is unclear then.
func parseAuthRequest(form url.Values) (authRequest, error) {
	for k, vs := range form {
		if len(vs) > 1 {
			return authRequest{}, &pageError{badRequest("Duplicate parameter: " + k)}
		}
	}
	return authRequest{
		ClientID:            form.Get("client_id"),
		RedirectURI:         form.Get("redirect_uri"),
		ResponseType:        form.Get("response_type"),
		Scope:               form.Get("scope"),
		State:               form.Get("state"),
		Nonce:               form.Get("nonce"),
		AccessType:          form.Get("access_type"),
		Prompt:              form.Get("prompt"),
		LoginHint:           form.Get("login_hint"),
		CodeChallenge:       form.Get("code_challenge"),
		CodeChallengeMethod: form.Get("code_challenge_method"),
	}, nil
}

// serveAuthorize answers the authorization endpoint: a redirect back with a code, an
// account chooser in interactive mode, or an error page when the client or redirect URI
// cannot be trusted.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request, c *call) error {
	req, err := parseAuthRequest(c.form)
	if err != nil {
		return err
	}
	c.clientID = req.ClientID
	if err := s.checkRedirect(req.ClientID, req.RedirectURI); err != nil {
		return &pageError{err}
	}
	if err := req.check(); err != nil {
		return s.redirectError(w, r, req, err)
	}

	user, ok := s.store.popUser()
	if !ok && s.cfg.Interactive {
		s.writeChooser(w, req)
		return nil
	}
	if !ok {
		user = s.hintedUser(req.LoginHint)
	}
	return s.redirectCode(w, r, req, user)
}

// serveChosen answers the account chooser's form: the authorization request again, plus
// the sub of the chosen account.
func (s *Server) serveChosen(w http.ResponseWriter, r *http.Request, c *call) error {
	req, err := parseAuthRequest(c.form)
	if err != nil {
		return err
	}
	c.clientID = req.ClientID
	if err := s.checkRedirect(req.ClientID, req.RedirectURI); err != nil {
		return &pageError{err}
	}
	user, ok := s.userBySub(c.form.Get("sub"))
	if !ok {
		return &pageError{badRequest("Unknown account")}
	}
	if err := req.check(); err != nil {
		return s.redirectError(w, r, req, err)
	}

	return s.redirectCode(w, r, req, user)
}

// checkRedirect checks the client and its redirect URI, the two things that must hold
// before anything can be sent back to the redirect URI.
func (s *Server) checkRedirect(clientID, redirectURI string) *oauthError {
	switch {
	case clientID == "":
		return badRequest("Missing required parameter: client_id")
	case redirectURI == "":
		return badRequest("Missing required parameter: redirect_uri")
	}
	client, ok := s.client(clientID)
	if !ok {
		return &oauthError{
			status: http.StatusUnauthorized, code: codeInvalidClient,
			description: "The OAuth client was not found.", cause: ErrUnknownClient,
		}
	}
	if !client.acceptsRedirect(redirectURI) {
		return &oauthError{
			status: http.StatusBadRequest, code: codeRedirectURIMismatch,
			description: "The redirect URI in the request, " + redirectURI +
				", does not match the ones authorized for the OAuth client.",
			cause: ErrRedirectURI,
		}
	}
	return nil
}

// check validates the parameters whose errors are reported by redirecting back.
func (req *authRequest) check() *oauthError {
	switch {
	case req.ResponseType == "":
		return badRequest("Missing required parameter: response_type")
	case req.ResponseType != "code":
		return &oauthError{
			status: http.StatusBadRequest, code: codeUnsupportedResponseType,
			description: "Unsupported response_type: " + req.ResponseType,
			cause:       ErrInvalidRequest,
		}
	case req.Scope == "":
		return badRequest("Missing required parameter: scope")
	case req.AccessType != "" && req.AccessType != "online" && req.AccessType != "offline":
		return badRequest("Invalid access_type: " + req.AccessType)
	}
	if bad := invalidScopes(req.Scope); len(bad) > 0 {
		return &oauthError{
			status: http.StatusBadRequest, code: codeInvalidScope,
			description: "Some requested scopes were invalid. {invalid=[" +
				strings.Join(bad, ", ") + "]}",
			cause: ErrInvalidRequest,
		}
	}
	if err := checkPrompt(req.Prompt); err != nil {
		return err
	}
	return req.checkChallenge()
}

// checkPrompt validates prompt: space-delimited none, consent, select_account, with none
// alone.
func checkPrompt(prompt string) *oauthError {
	values := strings.Fields(prompt)
	for _, p := range values {
		if p != "none" && p != "consent" && p != "select_account" {
			return badRequest("Invalid prompt: " + prompt)
		}
	}
	if slices.Contains(values, "none") && len(values) > 1 {
		return badRequest("Invalid prompt: " + prompt)
	}
	return nil
}

// checkChallenge validates the PKCE challenge (RFC 7636 §4.2 and §4.3) and fills in the
// default method, plain.
func (req *authRequest) checkChallenge() *oauthError {
	if req.CodeChallenge == "" {
		if req.CodeChallengeMethod != "" {
			return badRequest("Missing required parameter: code_challenge")
		}
		return nil
	}
	if req.CodeChallengeMethod == "" {
		req.CodeChallengeMethod = "plain"
	}
	if req.CodeChallengeMethod != "plain" && req.CodeChallengeMethod != "S256" {
		return badRequest("Invalid code_challenge_method: " + req.CodeChallengeMethod)
	}
	if !validPKCEString(req.CodeChallenge) {
		return badRequest("Invalid code_challenge")
	}
	return nil
}

// validPKCEString reports whether v is 43 to 128 unreserved characters, the shape of a
// code verifier and of a challenge (RFC 7636 §4.1).
func validPKCEString(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for _, ch := range v {
		ok := ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' ||
			strings.ContainsRune("-._~", ch)
		if !ok {
			return false
		}
	}
	return true
}

// hintedUser returns the configured user login_hint names by email or sub, else the
// first configured user.
func (s *Server) hintedUser(hint string) User {
	if hint != "" {
		for _, u := range s.users {
			if strings.EqualFold(u.Email, hint) || u.Sub == hint {
				return u
			}
		}
	}
	return s.users[0]
}

// issueCode stores an authorization code for req signed in as user.
func (s *Server) issueCode(req authRequest, user User) string {
	return s.store.addCode(&codeGrant{
		grant: grant{
			clientID: req.ClientID, user: user, scope: grantedScope(req.Scope),
			nonce: req.Nonce, offline: req.AccessType == "offline",
		},
		redirectURI: req.RedirectURI,
		challenge:   req.CodeChallenge,
		method:      req.CodeChallengeMethod,
		issued:      s.clock.now(),
	})
}

// redirectCode signs user in and sends the browser back with a code (RFC 6749 §4.1.2).
func (s *Server) redirectCode(w http.ResponseWriter, r *http.Request, req authRequest,
	user User) error {
	code := s.issueCode(req, user)
	prompt := "consent"
	if req.Prompt == "none" {
		prompt = "none"
	}
	params := url.Values{
		"code":     {code},
		"scope":    {grantedScope(req.Scope)},
		"authuser": {"0"},
		"prompt":   {prompt},
		"iss":      {s.issuer(r)},
	}
	if req.State != "" {
		params.Set("state", req.State)
	}
	s.log.DebugContext(r.Context(), "signed in", "client_id", req.ClientID, "sub", user.Sub,
		"token_fp", fingerprint(code))
	return redirect(w, req.RedirectURI, params)
}

// redirectError sends the browser back with an error (RFC 6749 §4.1.2.1).
func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, req authRequest,
	err *oauthError) error {
	params := url.Values{
		"error":             {err.code},
		"error_description": {err.description},
		"iss":               {s.issuer(r)},
	}
	if req.State != "" {
		params.Set("state", req.State)
	}
	return redirect(w, req.RedirectURI, params)
}

// redirect answers 302 to uri with params added to its query.
func redirect(w http.ResponseWriter, uri string, params url.Values) error {
	u, err := url.Parse(uri)
	if err != nil {
		return &pageError{badRequest("Invalid redirect_uri")}
	}
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Location", u.String())
	w.WriteHeader(http.StatusFound)
	return nil
}
