package scenarios

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

// jwksPaths are where backends commonly publish their JWK set, tried in order on the
// target's own origin.
var jwksPaths = []string{
	"/.well-known/jwks.json", "/auth/jwks/", "/api/jwks/", "/jwks/", "/jwks.json",
	"/api/token/jwks/",
}

// signWithForeignKey signs t's header and payload again with a fresh key of the
// algorithm its header names; a token of an algorithm this package does not know is
// signed with HS256 instead.
func signWithForeignKey(t rawJWT) (string, error) {
	method := jwt.GetSigningMethod(t.header.str("alg"))
	input := t.signingInput()
	key, err := freshKey(method)
	if err != nil {
		return "", err
	}
	if key == nil {
		method = jwt.SigningMethodHS256
		input = encodeSegment(t.header.withClaim("alg", method.Alg())) + "." + t.seg[1]
		key = []byte(randomHex(32))
	}
	sig, err := method.Sign(input, key)
	if err != nil {
		return "", fmt.Errorf("scenarios: sign with a foreign key: %w", err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// freshKey makes a signing key for m, and nil for a method it does not know.
func freshKey(m jwt.SigningMethod) (any, error) {
	var key any
	var err error
	switch m := m.(type) {
	case *jwt.SigningMethodHMAC:
		key = []byte(randomHex(32))
	case *jwt.SigningMethodRSA, *jwt.SigningMethodRSAPSS:
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	case *jwt.SigningMethodECDSA:
		curves := map[int]elliptic.Curve{256: elliptic.P256(), 384: elliptic.P384(),
			521: elliptic.P521()}
		if curve, ok := curves[m.CurveBits]; ok {
			key, err = ecdsa.GenerateKey(curve, rand.Reader)
		}
	case *jwt.SigningMethodEd25519:
		_, key, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		return nil, fmt.Errorf("scenarios: generate a foreign key: %w", err)
	}
	return key, nil
}

func checkKeyConfusion(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	t, err := splitJWT(tokens.Access)
	if err != nil {
		return Skip("the access token is not a JWT, so there is no algorithm to confuse")
	}
	alg := t.header.str("alg")
	if _, shared := hmacHashes[alg]; shared || alg == "" {
		return Skip("the access token is signed with %s, a shared secret: there is no "+
			"public key to confuse it with", cmp.Or(alg, "no algorithm"))
	}
	pub, where, err := fetchPublicKey(ctx, env, t.header.str("kid"))
	if err != nil {
		return Errored(err)
	}
	if pub == nil {
		return Skip("the access token is signed with %s, but no JWK set answers at %s; "+
			"the check needs the public key", alg, strings.Join(jwksPaths, ", "))
	}
	forms, err := publicKeyForms(pub)
	if err != nil {
		return Errored(err)
	}
	env.Notef("public key from %s, tried as an HMAC key in %d encodings", where, len(forms))

	fix := fmt.Sprintf("the verifier lets the token's alg header choose the algorithm; "+
		"pin it (PyJWT's jwt.decode(..., algorithms=[%q]), as SimpleJWT does with its "+
		"ALGORITHM)", alg)
	n := 0
	for _, form := range forms {
		what := "signed with HS256 keyed by the public key as " + form.name
		for _, issued := range []labelledToken{{"access", tokens.Access},
			{"refresh", tokens.Refresh}} {
			it, err := splitJWT(issued.token)
			if err != nil {
				continue // an opaque refresh token: nothing to forge
			}
			set := forgedSet{kind: issued.label, tokens: []string{hmacCopy(it, form.key)},
				what: what, fix: fix}
			if res, bad := presentForged(ctx, env, set); bad {
				return res
			}
			n++
		}
	}
	return Pass("%d HS256 tokens keyed by the %s public key from %s were refused", n, alg,
		where)
}

// hmacCopy is t's payload under an HS256 header (keeping its kid), signed with key.
func hmacCopy(t rawJWT, key []byte) string {
	header := claims{"alg": "HS256", "typ": "JWT"}
	if kid, ok := t.header["kid"]; ok {
		header["kid"] = kid
	}
	input := encodeSegment(header) + "." + t.seg[1]
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// fetchPublicKey looks for the target's JWK set at jwksPaths and returns the public key
// named kid (or the first key when none is), and the path it came from. It returns a
// nil key when no path answers a JWK set with a usable key, and an error only when the
// target does not answer.
func fetchPublicKey(ctx context.Context, env *Env, kid string) (any, string, error) {
	for _, path := range jwksPaths {
		req, err := env.Client.newRequest(ctx, http.MethodGet, path, "", nil)
		if err != nil {
			return nil, "", err
		}
		resp, err := env.Client.Do(req, nil)
		if err != nil {
			return nil, "", err
		}
		var set jose.JSONWebKeySet
		if !resp.OK() || json.Unmarshal(resp.Body, &set) != nil {
			continue
		}
		keys := set.Keys
		if named := set.Key(kid); kid != "" && len(named) > 0 {
			keys = named
		}
		for _, k := range keys {
			if pub := k.Public(); pub.Key != nil {
				return pub.Key, path, nil
			}
		}
	}
	return nil, "", nil
}

// keyForm is one encoding of a public key that a confused verifier may use as an HMAC
// secret.
type keyForm struct {
	name string
	key  []byte
}

// publicKeyForms returns the encodings of pub that key-confusion attacks use: PKIX as
// PEM (with and without the final newline) and DER, PKCS #1 for RSA, and the raw bytes of
// an Ed25519 key.
func publicKeyForms(pub any) ([]keyForm, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("scenarios: encode the target's public key: %w", err)
	}
	pkix := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	forms := []keyForm{
		{"PKIX PEM", pkix},
		{"PKIX PEM without its final newline", bytes.TrimSpace(pkix)},
		{"PKIX DER", der},
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		pkcs1 := x509.MarshalPKCS1PublicKey(k)
		forms = append(forms,
			keyForm{"PKCS #1 PEM", pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY",
				Bytes: pkcs1})},
			keyForm{"PKCS #1 DER", pkcs1})
	case ed25519.PublicKey:
		forms = append(forms, keyForm{"raw Ed25519 bytes", []byte(k)})
	}
	return forms, nil
}
