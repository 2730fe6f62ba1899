package mockgoogle

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Claim values id_token faults put in place of the real ones.
const (
	wrongAudience = "wrong-audience.apps.googleusercontent.com"
	wrongIssuer   = "https://wrong-issuer.example.com"
)

// tokenIssuer returns the iss of id_tokens: the issuer, without its scheme under
// QuirkSchemelessIssuer.
func (s *Server) tokenIssuer(r *http.Request) string {
	iss := s.issuer(r)
	if s.hasQuirk(QuirkSchemelessIssuer) {
		iss = strings.TrimPrefix(strings.TrimPrefix(iss, "https://"), "http://")
	}
	return iss
}

// idToken signs an id_token for a grant (OpenID Connect Core §2 and §3.1.3.6, with
// Google's claims), spoiled as an id_token fault kind says.
func (s *Server) idToken(r *http.Request, g grant, accessToken string, now time.Time,
	fault FaultKind) (string, error) {
	claims := jwt.MapClaims{
		"iss":     s.tokenIssuer(r),
		"azp":     g.clientID,
		"aud":     g.clientID,
		"sub":     g.user.Sub,
		"at_hash": atHash(accessToken),
		"iat":     now.Unix(),
		"exp":     now.Add(accessTTL).Unix(),
	}
	addProfileClaims(claims, g)

	switch fault {
	case FaultWrongAud:
		claims["aud"] = wrongAudience
	case FaultWrongIss:
		claims["iss"] = wrongIssuer
	case FaultExpired:
		claims["iat"] = now.Add(-2 * accessTTL).Unix()
		claims["exp"] = now.Add(-accessTTL).Unix()
	case FaultAlgNone:
		tok := jwt.NewWithClaims(jwt.SigningMethodNone, claims)
		return tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
	}

	key := s.keys.signer()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = key.kid
	signed, err := tok.SignedString(key.priv)
	if err != nil {
		return "", fmt.Errorf("mockgoogle: sign id_token: %w", err)
	}
	if fault == FaultBadSignature {
		signed = spoilSignature(signed)
	}
	return signed, nil
}

// addProfileClaims adds the claims the granted scope allows.
func addProfileClaims(claims jwt.MapClaims, g grant) {
	u := g.user
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	if u.HD != "" {
		claims["hd"] = u.HD
	}
	if hasScope(g.scope, scopeEmailURL) {
		claims["email"] = u.Email
		claims["email_verified"] = u.EmailVerified
	}
	if !hasScope(g.scope, scopeProfileURL) {
		return
	}
	for k, v := range map[string]string{
		"name": u.Name, "given_name": u.GivenName, "family_name": u.FamilyName,
		"picture": u.Picture, "locale": u.Locale,
	} {
		if v != "" {
			claims[k] = v
		}
	}
}

// atHash is the access token hash (OpenID Connect Core §3.1.3.6): the left half of its
// SHA-256, base64url-encoded.
func atHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

// spoilSignature flips a bit of a compact JWS's signature, so it no longer verifies.
func spoilSignature(jws string) string {
	i := strings.LastIndexByte(jws, '.')
	sig, err := base64.RawURLEncoding.DecodeString(jws[i+1:])
	if err != nil || len(sig) == 0 {
		return jws + "x"
	}
	sig[0] ^= 0x01
	return jws[:i+1] + base64.RawURLEncoding.EncodeToString(sig)
}
