package scenarios

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// claims is a JWT's payload, read without verifying the signature, the way Nuxt Auth's
// jwt-decode reads it.
type claims map[string]any

// errNotJWT is returned for a token that is not three base64url segments with JSON in
// the first two.
var errNotJWT = errors.New("scenarios: not a JWT")

// decodeJWT returns the header and the claims of a compact JWT without verifying it.
func decodeJWT(token string) (header, payload claims, err error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, nil, errNotJWT
	}
	if header, err = decodeSegment(parts[0]); err != nil {
		return nil, nil, err
	}
	if payload, err = decodeSegment(parts[1]); err != nil {
		return nil, nil, err
	}
	return header, payload, nil
}

func decodeSegment(seg string) (claims, error) {
	data, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNotJWT, err)
	}
	var c claims
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%w: %w", errNotJWT, err)
	}
	return c, nil
}

// time returns a NumericDate claim (RFC 7519 section 2) and whether it is there.
func (c claims) time(name string) (time.Time, bool) {
	v, ok := c[name].(float64)
	if !ok {
		return time.Time{}, false
	}
	sec := int64(v)
	return time.Unix(sec, int64((v-float64(sec))*1e9)), true
}

// str returns a string claim, or "" when it is absent or not a string.
func (c claims) str(name string) string {
	s, _ := c[name].(string)
	return s
}

// lifetime returns exp minus iat of a token, and false when either is missing or the
// token is not a JWT.
func lifetime(token string) (time.Duration, bool) {
	_, c, err := decodeJWT(token)
	if err != nil {
		return 0, false
	}
	exp, ok1 := c.time("exp")
	iat, ok2 := c.time("iat")
	if !ok1 || !ok2 {
		return 0, false
	}
	return exp.Sub(iat), true
}
