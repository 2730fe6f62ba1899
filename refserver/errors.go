package refserver

import (
	"errors"
	"fmt"
	"net/http"
)

// ErrUnknownFault is returned by [ParseFault] and [New] for a fault name refserver does not
// know.
var ErrUnknownFault = errors.New("refserver: unknown fault")

// ErrInvalidConfig is returned by [New] when a Config field has a value refserver cannot
// use, such as an unknown algorithm or error style.
var ErrInvalidConfig = errors.New("refserver: invalid config")

// Store outcomes the handlers turn into answers.
var (
	// errUnknownToken: a well-signed refresh token this server never recorded.
	errUnknownToken = errors.New("refserver: refresh token not issued here")
	// errRevoked: a refresh token whose family is revoked (reuse or logout).
	errRevoked = errors.New("refserver: refresh token revoked")
	// errReused: a spent refresh token presented again outside the grace window.
	errReused = errors.New("refserver: refresh token reused")
	// errUserNotFound: a token for a user who is not in the database.
	errUserNotFound = errors.New("refserver: user not found")
)

// SimpleJWT's messages, reproduced exactly (simplejwt.md section 4).
const (
	msgInvalidOrExpired = "Token is invalid or expired"
	msgBlacklisted      = "Token is blacklisted"
	msgNoExp            = "Token has no 'exp' claim"
	msgNoID             = "Token has no id"
	msgNoType           = "Token has no type"
	msgWrongType        = "Token has wrong type"
	msgNoUserID         = "Token contained no recognizable user identification"
	msgUserNotFound     = "User not found"
	msgNoCredentials    = "Authentication credentials were not provided."
	msgBadHeader        = "Authorization header must contain two space-delimited values"
	msgNotValidAnyType  = "Given token not valid for any token type"
	msgRequired         = "This field is required."
	msgBlank            = "This field may not be blank."
	msgNotString        = "Not a valid string."
)

// oauthError is the RFC 6749 section 5.2 error body.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// apiError is a failed request, ready to be rendered in either error style by
// [Server.writeError]. Handlers build one with the constructors below and return it.
type apiError struct {
	status    int        // status in the drf style
	body      any        // body in the drf style
	oauthCode int        // status in the rfc6749 style
	oauth     oauthError // body in the rfc6749 style
	bearer    bool       // answer carries WWW-Authenticate: Bearer
	malformed bool       // the client sent garbage (crash-on-garbage turns it into a 500)
	cause     error
}

func (e *apiError) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%v (%d %s)", e.cause, e.status, e.oauth.Error)
	}
	return fmt.Sprintf("refserver: %s (%d %s)", e.oauth.Description, e.status, e.oauth.Error)
}

func (e *apiError) Unwrap() error { return e.cause }

// detail is the DRF body for most errors.
type detail struct {
	Detail string `json:"detail"`
	Code   string `json:"code,omitempty"`
}

// tokenMessage is one entry of the nested messages SimpleJWT's authentication errors carry.
type tokenMessage struct {
	TokenClass string `json:"token_class"`
	TokenType  string `json:"token_type"`
	Message    string `json:"message"`
}

// nestedDetail is SimpleJWT's body for an access token refused by an authenticated view.
type nestedDetail struct {
	Detail   string         `json:"detail"`
	Code     string         `json:"code"`
	Messages []tokenMessage `json:"messages"`
}

// fieldError is a missing, blank or mistyped request field: DRF's {"field": ["message"]}.
func fieldError(field, msg string) *apiError {
	return &apiError{
		status: http.StatusBadRequest, body: map[string][]string{field: {msg}},
		oauthCode: http.StatusBadRequest,
		oauth:     oauthError{"invalid_request", field + ": " + msg},
	}
}

// nonFieldError is a request that is wrong as a whole: DRF's non_field_errors.
func nonFieldError(msg string) *apiError {
	return &apiError{
		status: http.StatusBadRequest, body: map[string][]string{"non_field_errors": {msg}},
		oauthCode: http.StatusBadRequest, oauth: oauthError{"invalid_request", msg},
	}
}

// malformedError is a body that could not be parsed at all.
func malformedError(status int, msg string, cause error) *apiError {
	return &apiError{
		status: status, body: detail{Detail: msg},
		oauthCode: status, oauth: oauthError{"invalid_request", msg},
		malformed: true, cause: cause,
	}
}

// refreshError is a refresh token refused by a token endpoint: SimpleJWT's flat 401, or
// RFC 6749's 400 invalid_grant.
func refreshError(msg string, cause error) *apiError {
	return &apiError{
		status: http.StatusUnauthorized, body: detail{Detail: msg, Code: "token_not_valid"},
		oauthCode: http.StatusBadRequest, oauth: oauthError{"invalid_grant", msg},
		bearer: true, cause: cause,
	}
}

// accessError is an access token refused by an authenticated view: SimpleJWT's nested 401,
// or RFC 6750's 401 invalid_token.
func accessError(msg string, cause error) *apiError {
	body := nestedDetail{
		Detail: msgNotValidAnyType, Code: "token_not_valid",
		Messages: []tokenMessage{{TokenClass: "AccessToken", TokenType: "access", Message: msg}},
	}
	return &apiError{
		status: http.StatusUnauthorized, body: body,
		oauthCode: http.StatusUnauthorized, oauth: oauthError{"invalid_token", msg},
		bearer: true, cause: cause,
	}
}

// authError is a 401 from an authenticated view with a flat body and its own code
// (empty for missing credentials).
func authError(msg, code string) *apiError {
	return &apiError{
		status: http.StatusUnauthorized, body: detail{Detail: msg, Code: code},
		oauthCode: http.StatusUnauthorized, oauth: oauthError{"invalid_token", msg},
		bearer: true,
	}
}

// googleRejected is an authorization code Google refused.
func googleRejected(cause error) *apiError {
	const msg = "Google refused the authorization code."
	return &apiError{
		status: http.StatusBadRequest, body: map[string][]string{"non_field_errors": {msg}},
		oauthCode: http.StatusBadRequest, oauth: oauthError{"invalid_grant", msg},
		cause: cause,
	}
}

// googleUnavailable is a Google that is down or answers nonsense.
func googleUnavailable(cause error) *apiError {
	const msg = "Google could not be reached."
	return &apiError{
		status: http.StatusBadGateway, body: detail{Detail: msg, Code: "google_unavailable"},
		oauthCode: http.StatusBadGateway, oauth: oauthError{"temporarily_unavailable", msg},
		cause: cause,
	}
}

// statusError is a plain error with a DRF detail message, such as 404 or 405.
func statusError(status int, msg, oauthCode string) *apiError {
	return &apiError{
		status: status, body: detail{Detail: msg},
		oauthCode: status, oauth: oauthError{oauthCode, msg},
	}
}

// internalError hides a server-side failure behind a generic 500.
func internalError(cause error) *apiError {
	const msg = "A server error occurred."
	return &apiError{
		status: http.StatusInternalServerError, body: detail{Detail: msg},
		oauthCode: http.StatusInternalServerError, oauth: oauthError{"server_error", msg},
		cause: cause,
	}
}
