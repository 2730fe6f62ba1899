package mockgoogle

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Grant types the token endpoint serves.
const (
	grantAuthorizationCode = "authorization_code"
	grantRefreshToken      = "refresh_token"
)

// tokenRequest is a token request (RFC 6749 §4.1.3 and §6) with the client's credentials
// from the form or from HTTP Basic (§2.3.1), parsed once.
type tokenRequest struct {
	GrantType    string
	Code         string
	RedirectURI  string
	CodeVerifier string
	RefreshToken string
	ClientID     string
	ClientSecret string
}

// parseTokenRequest reads a token request from its fields and Authorization header. A
// repeated field or a malformed Basic header is an invalid_request (RFC 6749 §3.2).
func parseTokenRequest(form url.Values, authorization string) (tokenRequest, error) {
	for _, k := range fieldNames(form) {
		if len(form[k]) > 1 {
			return tokenRequest{}, badRequest("Duplicate parameter: " + k)
		}
	}
	req := tokenRequest{
		GrantType:    form.Get("grant_type"),
		Code:         form.Get("code"),
		RedirectURI:  form.Get("redirect_uri"),
		CodeVerifier: form.Get("code_verifier"),
		RefreshToken: form.Get("refresh_token"),
		ClientID:     form.Get("client_id"),
		ClientSecret: form.Get("client_secret"),
	}

	scheme, creds, _ := strings.Cut(authorization, " ")
	if !strings.EqualFold(scheme, "Basic") {
		return req, nil
	}
	id, secret, err := parseBasic(creds)
	if err != nil {
		return tokenRequest{}, err
	}
	if req.ClientID != "" && req.ClientID != id {
		return tokenRequest{}, badRequest("client_id does not match the Authorization header")
	}
	req.ClientID, req.ClientSecret = id, secret
	return req, nil
}

// parseBasic decodes HTTP Basic credentials, whose parts are form-encoded before they are
// joined (RFC 6749 §2.3.1).
func parseBasic(creds string) (id, secret string, err error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(creds))
	if err != nil {
		return "", "", badRequest("Invalid Authorization header")
	}
	id, secret, ok := strings.Cut(string(raw), ":")
	if !ok {
		return "", "", badRequest("Invalid Authorization header")
	}
	if u, err := url.QueryUnescape(id); err == nil {
		id = u
	}
	if u, err := url.QueryUnescape(secret); err == nil {
		secret = u
	}
	return id, secret, nil
}

// grantTypeError is Google's answer to a grant type it does not serve.
func grantTypeError(grantType string) *oauthError {
	return &oauthError{
		status: http.StatusBadRequest, code: codeUnsupportedGrantType,
		description: "Invalid grant_type: " + grantType,
	}
}

// knownGrantType reports whether the token endpoint serves the grant type.
func knownGrantType(grantType string) bool {
	return slices.Contains([]string{grantAuthorizationCode, grantRefreshToken}, grantType)
}
