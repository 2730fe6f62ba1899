package refserver

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

// keys is the signing key of a server, and what verifies it.
type keys struct {
	method jwt.SigningMethod
	sign   any    // []byte, *rsa.PrivateKey or ed25519.PrivateKey
	verify any    // []byte, *rsa.PublicKey or ed25519.PublicKey
	kid    string // set for RS256 and EdDSA
	jwks   []byte // the JWK set served at /auth/jwks/; nil for HS256

	// confusion holds the public key's encodings as HMAC keys, for the key-confusion fault.
	confusion jwt.VerificationKeySet
}

// newKeys makes the keys for alg: the HS256 secret (random when empty), or a fresh key pair.
func newKeys(alg, secret string) (*keys, error) {
	switch alg {
	case algHS256:
		key := []byte(secret)
		if secret == "" {
			key = make([]byte, 32)
			rand.Read(key)
		}
		return &keys{method: jwt.SigningMethodHS256, sign: key, verify: key}, nil
	case algRS256:
		priv, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, fmt.Errorf("refserver: generate RSA key: %w", err)
		}
		return newPairKeys(jwt.SigningMethodRS256, priv, &priv.PublicKey)
	case algEdDSA:
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("refserver: generate Ed25519 key: %w", err)
		}
		return newPairKeys(jwt.SigningMethodEdDSA, priv, pub)
	}
	return nil, fmt.Errorf("%w: unknown algorithm %q", ErrInvalidConfig, alg)
}

// newPairKeys builds the keys of an asymmetric algorithm, with their JWK set.
func newPairKeys(method jwt.SigningMethod, priv crypto.Signer, pub crypto.PublicKey) (*keys,
	error) {
	jwk := jose.JSONWebKey{Key: pub, Algorithm: method.Alg(), Use: "sig"}
	thumb, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("refserver: key thumbprint: %w", err)
	}
	jwk.KeyID = base64.RawURLEncoding.EncodeToString(thumb[:12])
	set, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{jwk}})
	if err != nil {
		return nil, fmt.Errorf("refserver: encode jwks: %w", err)
	}

	confusion, err := publicKeyEncodings(pub)
	if err != nil {
		return nil, err
	}
	k := &keys{method: method, sign: priv, verify: pub, kid: jwk.KeyID, jwks: set}
	k.confusion = confusion
	return k, nil
}

// publicKeyEncodings returns the encodings of pub that a key-confusion attacker may use as an
// HMAC secret: PEM and DER of PKIX, PEM of PKCS #1 for RSA, and the raw Ed25519 key.
func publicKeyEncodings(pub crypto.PublicKey) (jwt.VerificationKeySet, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return jwt.VerificationKeySet{}, fmt.Errorf("refserver: encode public key: %w", err)
	}
	encodings := [][]byte{
		pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}),
		der,
	}
	switch pub := pub.(type) {
	case *rsa.PublicKey:
		pkcs1 := x509.MarshalPKCS1PublicKey(pub)
		encodings = append(encodings,
			pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: pkcs1}))
	case ed25519.PublicKey:
		encodings = append(encodings, []byte(pub))
	}

	var set jwt.VerificationKeySet
	for _, e := range encodings {
		set.Keys = append(set.Keys, e)
	}
	return set, nil
}
