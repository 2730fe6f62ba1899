package mockgoogle

import (
	"errors"
	"fmt"
	"net/http"
)

// Sentinel errors returned by [Server.MintCode] and [New]; test them with errors.Is.
var (
	// ErrUnknownClient is returned when a client_id names no configured client.
	ErrUnknownClient = errors.New("mockgoogle: unknown client")
	// ErrRedirectURI is returned when a redirect_uri is not accepted for the client.
	ErrRedirectURI = errors.New("mockgoogle: redirect_uri not accepted for client")
	// ErrUnknownUser is returned when a sub names no configured user.
	ErrUnknownUser = errors.New("mockgoogle: unknown user")
	// ErrInvalidRequest is returned when a parameter is missing or malformed.
	ErrInvalidRequest = errors.New("mockgoogle: invalid request")
	// ErrInvalidConfig is returned by New and LoadConfig for an unusable configuration.
	ErrInvalidConfig = errors.New("mockgoogle: invalid config")
)

// OAuth 2.0 error codes Google answers with (RFC 6749 §4.1.2.1 and §5.2, plus Google's
// redirect_uri_mismatch).
const (
	codeInvalidRequest          = "invalid_request"
	codeInvalidClient           = "invalid_client"
	codeInvalidGrant            = "invalid_grant"
	codeUnauthorizedClient      = "unauthorized_client"
	codeUnsupportedGrantType    = "unsupported_grant_type"
	codeUnsupportedResponseType = "unsupported_response_type"
	codeInvalidScope            = "invalid_scope"
	codeRedirectURIMismatch     = "redirect_uri_mismatch"
	codeInvalidToken            = "invalid_token"
	codeServerError             = "server_error"
)

// oauthError is an OAuth 2.0 error response (RFC 6749 §5.2) with the HTTP status Google
// answers it with. It wraps one of the sentinels when a Go caller may branch on it.
type oauthError struct {
	status      int
	code        string
	description string
	cause       error
}

func (e *oauthError) Error() string {
	return fmt.Sprintf("mockgoogle: %s: %s", e.code, e.description)
}

func (e *oauthError) Unwrap() error { return e.cause }

// errorBody is the JSON body of every error this server answers.
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// badRequest is a 400 invalid_request with the given description.
func badRequest(description string) *oauthError {
	return &oauthError{
		status: http.StatusBadRequest, code: codeInvalidRequest,
		description: description, cause: ErrInvalidRequest,
	}
}

// invalidGrant is a 400 invalid_grant with the given description.
func invalidGrant(description string) *oauthError {
	return &oauthError{
		status: http.StatusBadRequest, code: codeInvalidGrant, description: description,
	}
}

// pageError is an authorization request that cannot be redirected back (unknown client,
// unaccepted redirect_uri): Google shows an error page instead, and so does this server.
type pageError struct {
	*oauthError
}
