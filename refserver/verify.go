package refserver

import (
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// skewedClockOffset is how fast the skewed-clock fault's verification clock runs.
const skewedClockOffset = time.Hour

// tokenError is a token refused by [verifier.verify], with SimpleJWT's message for it.
type tokenError struct {
	msg       string // one of the msg* constants
	malformed bool   // not a JWT at all
	cause     error
}

func (e *tokenError) Error() string {
	if e.cause != nil {
		return "refserver: " + e.msg + ": " + e.cause.Error()
	}
	return "refserver: " + e.msg
}

func (e *tokenError) Unwrap() error { return e.cause }

// verifier checks tokens the way SimpleJWT does (simplejwt.md section 3): signature,
// algorithm, exp, iat and nbf first, then the presence of exp and jti, then token_type.
// Faults loosen each step. A verifier is safe for concurrent use.
type verifier struct {
	keys   *keys
	now    func() time.Time
	parser *jwt.Parser

	noVerify    bool // no-verify
	allowNone   bool // alg-none
	confusion   bool // key-confusion
	ignoreExp   bool // ignore-exp, for access tokens
	noTypeCheck bool // no-type-check
	skew        time.Duration
}

// newVerifier builds the verifier for k under the given faults.
func newVerifier(k *keys, now func() time.Time, faults faultSet) *verifier {
	v := &verifier{
		keys: k, now: now,
		noVerify:    faults.on(FaultNoVerify),
		allowNone:   faults.on(FaultAlgNone),
		confusion:   faults.on(FaultKeyConfusion),
		ignoreExp:   faults.on(FaultIgnoreExp),
		noTypeCheck: faults.on(FaultNoTypeCheck),
	}
	if faults.on(FaultSkewedClock) {
		v.skew = skewedClockOffset
	}

	methods := []string{k.method.Alg()}
	if v.allowNone {
		methods = append(methods, jwt.SigningMethodNone.Alg())
	}
	if v.confusion {
		methods = append(methods, jwt.SigningMethodHS256.Alg())
	}
	v.parser = jwt.NewParser(jwt.WithValidMethods(methods), jwt.WithoutClaimsValidation(),
		jwt.WithJSONNumber())
	return v
}

// verify parses raw and checks it is a valid token of type want ("access" or "refresh").
// The error is a *tokenError.
func (v *verifier) verify(raw, want string) (*claims, error) {
	c := new(claims)
	var err error
	if v.noVerify {
		_, _, err = v.parser.ParseUnverified(raw, c)
	} else {
		_, err = v.parser.ParseWithClaims(raw, c, v.key)
	}
	if err != nil {
		return nil, &tokenError{msg: msgInvalidOrExpired, cause: err,
			malformed: errors.Is(err, jwt.ErrTokenMalformed)}
	}

	if err := v.checkTimes(c, want); err != nil {
		return nil, err
	}
	return c, v.checkClaims(c, want)
}

// key picks the verification key for the token's algorithm.
func (v *verifier) key(t *jwt.Token) (any, error) {
	switch alg := t.Method.Alg(); {
	case alg == v.keys.method.Alg():
		return v.keys.verify, nil
	case alg == jwt.SigningMethodNone.Alg():
		return jwt.UnsafeAllowNoneSignatureType, nil
	default:
		return v.keys.confusion, nil
	}
}

// checkTimes refuses a token that has expired, or whose iat or nbf is in the future.
func (v *verifier) checkTimes(c *claims, want string) error {
	now := v.now().Add(v.skew)
	expired := c.ExpiresAt != nil && !now.Before(c.ExpiresAt.Time)
	if v.ignoreExp && want == typeAccess {
		expired = false
	}
	early := (c.IssuedAt != nil && c.IssuedAt.After(now)) ||
		(c.NotBefore != nil && c.NotBefore.After(now))
	if expired || early {
		return &tokenError{msg: msgInvalidOrExpired}
	}
	return nil
}

// checkClaims checks that exp, jti and token_type are present, and the type is want.
func (v *verifier) checkClaims(c *claims, want string) error {
	switch {
	case c.ExpiresAt == nil && !(v.ignoreExp && want == typeAccess):
		return &tokenError{msg: msgNoExp}
	case c.ID == "":
		return &tokenError{msg: msgNoID}
	case c.TokenType == "":
		return &tokenError{msg: msgNoType}
	case c.TokenType != want && !v.noTypeCheck:
		return &tokenError{msg: msgWrongType}
	}
	return nil
}
