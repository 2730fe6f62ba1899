package mockgoogle

import (
	"fmt"
	"time"
)

// CodeRequest asks MintCode for an authorization code, as if a browser had gone through
// the authorization endpoint with these parameters. ClientID and RedirectURI are required.
type CodeRequest struct {
	ClientID            string `json:"client_id"`
	RedirectURI         string `json:"redirect_uri"`
	Scope               string `json:"scope"` // empty: "openid email profile"
	Nonce               string `json:"nonce"`
	CodeChallenge       string `json:"code_challenge"`
	CodeChallengeMethod string `json:"code_challenge_method"` // empty: plain, with a challenge
	AccessType          string `json:"access_type"`           // "offline" gets a refresh token
	// Sub names the configured user to sign in. Empty: the next queued user, else the
	// first configured user.
	Sub string `json:"sub"`
}

// defaultScope is the scope MintCode asks for when the request names none.
const defaultScope = "openid email profile"

// QueueUser makes the next authorization sign in as u. Queued users are consumed in order,
// by the authorization endpoint and by MintCode; when none is queued the server signs in
// its first configured user. QueueUser is safe for concurrent use.
func (s *Server) QueueUser(u User) {
	s.store.pushUser(u)
}

// MintCode returns an authorization code as the authorization endpoint would issue it for
// req, without a browser. It fails, wrapping ErrUnknownClient, ErrRedirectURI,
// ErrUnknownUser or ErrInvalidRequest, where the endpoint would refuse the request.
// MintCode is safe for concurrent use.
func (s *Server) MintCode(req CodeRequest) (string, error) {
	ar := authRequest{
		ClientID: req.ClientID, RedirectURI: req.RedirectURI, ResponseType: "code",
		Scope: req.Scope, Nonce: req.Nonce, AccessType: req.AccessType,
		CodeChallenge: req.CodeChallenge, CodeChallengeMethod: req.CodeChallengeMethod,
	}
	if ar.Scope == "" {
		ar.Scope = defaultScope
	}
	if err := s.checkRedirect(ar.ClientID, ar.RedirectURI); err != nil {
		return "", err
	}
	if err := ar.check(); err != nil {
		return "", err
	}

	user, err := s.mintUser(req.Sub)
	if err != nil {
		return "", err
	}
	return s.issueCode(ar, user), nil
}

// mintUser returns the user MintCode signs in: the one sub names, else the next queued
// user, else the first configured user.
func (s *Server) mintUser(sub string) (User, error) {
	if sub != "" {
		u, ok := s.userBySub(sub)
		if !ok {
			return User{}, fmt.Errorf("%w: sub %q", ErrUnknownUser, sub)
		}
		return u, nil
	}
	if u, ok := s.store.popUser(); ok {
		return u, nil
	}
	return s.users[0], nil
}

// FailNext makes the next f.Count calls (1 when Count is 0) of f.Endpoint fail as f says.
// Faults apply in the order they were added. It panics, as for a programming mistake,
// when f names an unknown endpoint or kind or combines fields that do not go together.
// FailNext is safe for concurrent use.
func (s *Server) FailNext(f Fault) {
	if err := f.validate(); err != nil {
		panic(err)
	}
	s.faults.add(f)
}

// ClearFaults drops every pending fault. It is safe for concurrent use.
func (s *Server) ClearFaults() {
	s.faults.clear()
}

// RotateKey makes a new signing key and returns its key ID. The previous key stays in the
// JWKS, so tokens it signed still verify; older keys are retired. It panics only if the
// system's random source fails. RotateKey is safe for concurrent use.
func (s *Server) RotateKey() (kid string) {
	kid, err := s.keys.rotate()
	if err != nil {
		panic(err)
	}
	return kid
}

// Advance moves the server's clock forward by d. The clock decides code expiry, access
// token expiry and id_token iat and exp. Advance is safe for concurrent use.
func (s *Server) Advance(d time.Duration) {
	s.clock.advance(d)
}

// Now returns the server's clock: the configured time source plus every Advance.
func (s *Server) Now() time.Time {
	return s.clock.now()
}

// Requests returns the calls of provider endpoints recorded so far, oldest first. Calls
// of the /_mock/ control API are not recorded. It is safe for concurrent use.
func (s *Server) Requests() []LoggedRequest {
	return s.reqlog.list()
}

// ResetRequests empties the request log. It is safe for concurrent use.
func (s *Server) ResetRequests() {
	s.reqlog.reset()
}
