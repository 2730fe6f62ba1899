package refserver

import (
	"errors"
	"net/http"
	"strings"
)

// userResponse is the answer of GET /auth/user/, dj-rest-auth's user details.
type userResponse struct {
	PK        int64  `json:"pk"`
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// errNoCredentials is a request that carries no access token at all.
var errNoCredentials = authError(msgNoCredentials, "")

// serveUser is GET /auth/user/: the user an access token belongs to.
func (s *Server) serveUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.currentUser(r)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, u)
	return nil
}

// currentUser is the user the request's access token belongs to. A request without one
// is errNoCredentials, or the empty user under the anonymous-user fault.
func (s *Server) currentUser(r *http.Request) (userResponse, error) {
	raw, err := s.accessToken(r)
	if errors.Is(err, errNoCredentials) && s.faults.on(FaultAnonymousUser) {
		return userResponse{}, nil
	}
	if err != nil {
		return userResponse{}, err
	}

	c, err := s.verifier.verify(raw, typeAccess)
	if err != nil {
		return userResponse{}, accessTokenError(err)
	}
	id, ok := c.userID()
	if !ok {
		return userResponse{}, authError(msgNoUserID, "token_not_valid")
	}
	u, err := s.store.readUser(r.Context(), id)
	if errors.Is(err, errUserNotFound) {
		return userResponse{}, authError(msgUserNotFound, "user_not_found")
	}
	if err != nil {
		return userResponse{}, err
	}
	return userResponse{PK: u.ID, Email: u.Email, FirstName: u.FirstName,
		LastName: u.LastName}, nil
}

// accessToken reads the access token the way SimpleJWT's JWTAuthentication does:
// "Authorization: Bearer <token>", the scheme case-sensitive, anything else being no
// credentials; in cookie mode the access cookie stands in for a missing header.
func (s *Server) accessToken(r *http.Request) (string, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		if c := s.tokenCookie(r, cookieAccess); c != "" {
			return c, nil
		}
		return "", errNoCredentials
	}
	parts := strings.Fields(header)
	switch {
	case len(parts) == 0 || parts[0] != "Bearer":
		return "", errNoCredentials
	case len(parts) != 2:
		return "", authError(msgBadHeader, "bad_authorization_header")
	}
	return parts[1], nil
}

// accessTokenError turns a refused access token into its answer.
func accessTokenError(err error) error {
	var te *tokenError
	if !errors.As(err, &te) {
		return err
	}
	e := accessError(te.msg, err)
	e.malformed = te.malformed
	return e
}
