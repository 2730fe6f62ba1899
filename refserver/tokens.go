package refserver

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token types, the values of the token_type claim.
const (
	typeAccess  = "access"
	typeRefresh = "refresh"
)

// Lifetimes the long-access and long-refresh faults use.
const (
	faultAccessTTL        = 24 * time.Hour
	faultRefreshTTLFactor = 10
)

// claims are SimpleJWT's: token_type, exp, iat, jti and user_id, and nothing else unless a
// token was forged.
type claims struct {
	TokenType string `json:"token_type,omitempty"`
	jwt.RegisteredClaims
	UserID any `json:"user_id,omitempty"` // int64 when issued; json.Number when parsed
}

// userID returns the user_id claim: an integer, or a string holding one, as SimpleJWT
// writes it.
func (c *claims) userID() (int64, bool) {
	var s string
	switch v := c.UserID.(type) {
	case json.Number:
		s = v.String()
	case string:
		s = v
	case int64:
		return v, true
	default:
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil
}

// pair is a signed access and refresh token, with their exp.
type pair struct {
	access     string
	refresh    string
	accessExp  int64 // Unix seconds
	refreshExp int64 // Unix seconds
}

// signPair signs the tokens g describes. The same grant always signs to the same pair.
func (k *keys) signPair(g grant) (pair, error) {
	access, err := k.signAccess(g)
	if err != nil {
		return pair{}, err
	}
	refresh, err := k.signRefresh(g)
	if err != nil {
		return pair{}, err
	}
	return pair{access: access, refresh: refresh, accessExp: g.AccessExpiresAt,
		refreshExp: g.ExpiresAt}, nil
}

// signAccess signs the access token g describes.
func (k *keys) signAccess(g grant) (string, error) {
	return k.signClaims(&claims{
		TokenType: typeAccess,
		RegisteredClaims: jwt.RegisteredClaims{
			ExpiresAt: jwt.NewNumericDate(time.Unix(g.AccessExpiresAt, 0)),
			IssuedAt:  jwt.NewNumericDate(time.Unix(g.IssuedAt, 0)),
			ID:        g.AccessJTI,
		},
		UserID: g.UserID,
	})
}

// signRefresh signs the refresh token g describes.
func (k *keys) signRefresh(g grant) (string, error) {
	return k.signClaims(&claims{
		TokenType: typeRefresh,
		RegisteredClaims: jwt.RegisteredClaims{
			ExpiresAt: jwt.NewNumericDate(time.Unix(g.ExpiresAt, 0)),
			IssuedAt:  jwt.NewNumericDate(time.Unix(g.IssuedAt, 0)),
			ID:        g.JTI,
		},
		UserID: g.UserID,
	})
}

// signClaims signs c with the server's key, naming the key with kid when it has one.
func (k *keys) signClaims(c *claims) (string, error) {
	tok := jwt.NewWithClaims(k.method, c)
	if k.kid != "" {
		tok.Header["kid"] = k.kid
	}
	s, err := tok.SignedString(k.sign)
	if err != nil {
		return "", fmt.Errorf("refserver: sign token: %w", err)
	}
	return s, nil
}

// issuer makes grants: fresh jti values and the lifetimes, with the faults that bend them.
type issuer struct {
	accessTTL  time.Duration
	refreshTTL time.Duration
	dupJTI     bool
}

// newGrant describes a new pair for userID issued at now. session is the iat of the
// session's current refresh token (now for a new session), which the dup-jti fault derives
// the access jti from.
func (is issuer) newGrant(userID int64, now time.Time, session int64) grant {
	iat := now.Unix()
	g := grant{
		JTI:             newJTI(),
		UserID:          userID,
		IssuedAt:        iat,
		ExpiresAt:       now.Add(is.refreshTTL).Unix(),
		AccessJTI:       newJTI(),
		AccessExpiresAt: now.Add(is.accessTTL).Unix(),
	}
	if is.dupJTI {
		sum := sha256.Sum256(fmt.Appendf(nil, "%d:%d", userID, session))
		g.AccessJTI = hex.EncodeToString(sum[:16])
	}
	return g
}

// newJTI returns 32 random hex digits, the shape of SimpleJWT's uuid4().hex.
func newJTI() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
