package mockgoogle

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/go-jose/go-jose/v4"
)

// jwksMaxAge is how long clients may cache the key set, in seconds; Google's answers carry
// a few hours.
const jwksMaxAge = 6 * 60 * 60

// publishedKeys is how many keys the key set holds: the signing key and the one before it,
// so tokens signed just before a rotation still verify, as with Google's overlapping keys.
const publishedKeys = 2

// signingKey is one RSA key with its key ID.
type signingKey struct {
	kid  string
	priv *rsa.PrivateKey
}

// keyring holds the published keys, newest (the signing key) first.
type keyring struct {
	mu   sync.RWMutex
	keys []signingKey
}

func newKeyring() (*keyring, error) {
	k := &keyring{}
	if _, err := k.rotate(); err != nil {
		return nil, err
	}
	return k, nil
}

// rotate makes a new signing key, keeps the previous one published, retires older ones and
// returns the new key ID.
func (k *keyring) rotate() (string, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", fmt.Errorf("mockgoogle: generate rsa key: %w", err)
	}
	jwk := jose.JSONWebKey{Key: &priv.PublicKey}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("mockgoogle: key thumbprint: %w", err)
	}
	// Google's key IDs are 40 hex digits.
	kid := hex.EncodeToString(sum)[:40]

	k.mu.Lock()
	defer k.mu.Unlock()
	k.keys = append([]signingKey{{kid: kid, priv: priv}}, k.keys...)
	if len(k.keys) > publishedKeys {
		k.keys = k.keys[:publishedKeys]
	}
	return kid, nil
}

// signer returns the current signing key.
func (k *keyring) signer() signingKey {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.keys[0]
}

// public returns the public key with the given key ID, if it is published.
func (k *keyring) public(kid string) (*rsa.PublicKey, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	for _, key := range k.keys {
		if key.kid == kid {
			return &key.priv.PublicKey, true
		}
	}
	return nil, false
}

// set returns the published keys as a JWK set (RFC 7517 §5).
func (k *keyring) set() jose.JSONWebKeySet {
	k.mu.RLock()
	defer k.mu.RUnlock()
	set := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(k.keys))}
	for _, key := range k.keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{
			Key:       &key.priv.PublicKey,
			KeyID:     key.kid,
			Algorithm: "RS256",
			Use:       "sig",
		})
	}
	return set
}

// serveJWKS answers GET /oauth2/v3/certs.
func (s *Server) serveJWKS(w http.ResponseWriter, _ *http.Request, _ *call) error {
	w.Header().Set("Cache-Control",
		"public, max-age="+strconv.Itoa(jwksMaxAge)+", must-revalidate, no-transform")
	writeJSON(w, s.log, http.StatusOK, s.keys.set())
	return nil
}
