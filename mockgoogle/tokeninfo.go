package mockgoogle

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/golang-jwt/jwt/v5"
)

// errInvalidValue is Google's tokeninfo answer for a token it does not accept.
var errInvalidValue = &oauthError{
	status: http.StatusBadRequest, code: codeInvalidToken, description: "Invalid Value",
}

// serveTokeninfo answers Google's debugging endpoint /tokeninfo for an id_token or an
// access_token. Like Google it answers numbers and booleans as strings.
func (s *Server) serveTokeninfo(w http.ResponseWriter, r *http.Request, c *call) error {
	if len(c.form["id_token"]) > 1 || len(c.form["access_token"]) > 1 {
		return badRequest("Duplicate parameter")
	}
	var (
		info map[string]string
		err  error
	)
	switch idToken, access := c.form.Get("id_token"), c.form.Get("access_token"); {
	case idToken != "":
		c.tokenFP = fingerprint(idToken)
		info, err = s.idTokenInfo(idToken)
	case access != "":
		c.tokenFP = fingerprint(access)
		info, err = s.accessTokenInfo(access)
	default:
		err = badRequest("Missing required parameter: id_token or access_token")
	}
	if err != nil {
		return err
	}

	writeJSON(w, s.log, http.StatusOK, info)
	return nil
}

// idTokenInfo verifies an id_token against the published keys and returns its claims and
// header fields as strings.
func (s *Server) idTokenInfo(idToken string) (map[string]string, error) {
	tok, err := jwt.Parse(idToken, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if key, ok := s.keys.public(kid); ok {
			return key, nil
		}
		return nil, errors.New("mockgoogle: unknown kid")
	},
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithTimeFunc(s.clock.now),
		jwt.WithExpirationRequired(),
		jwt.WithJSONNumber(),
	)
	if err != nil {
		return nil, errInvalidValue
	}
	claims, ok := tok.Claims.(jwt.MapClaims)
	if !ok {
		return nil, errInvalidValue
	}

	info := make(map[string]string, len(claims)+3)
	for k, v := range claims {
		info[k] = stringify(v)
	}
	for _, k := range []string{"alg", "kid", "typ"} {
		if v, ok := tok.Header[k]; ok {
			info[k] = stringify(v)
		}
	}
	return info, nil
}

// accessTokenInfo returns what Google's tokeninfo tells about a live access token.
func (s *Server) accessTokenInfo(token string) (map[string]string, error) {
	now := s.clock.now()
	a, ok := s.store.lookupAccess(token, now)
	if !ok {
		return nil, errInvalidValue
	}
	accessType := "online"
	if a.offline {
		accessType = "offline"
	}
	info := map[string]string{
		"azp":         a.clientID,
		"aud":         a.clientID,
		"sub":         a.user.Sub,
		"scope":       a.scope,
		"exp":         strconv.FormatInt(a.expires.Unix(), 10),
		"expires_in":  strconv.FormatInt(int64(a.expires.Sub(now).Seconds()), 10),
		"access_type": accessType,
	}
	if hasScope(a.scope, scopeEmailURL) {
		info["email"] = a.user.Email
		info["email_verified"] = strconv.FormatBool(a.user.EmailVerified)
	}
	return info, nil
}

// stringify renders a decoded JSON value as tokeninfo does: strings as they are, numbers
// and booleans in their JSON form.
func stringify(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
