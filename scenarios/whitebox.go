package scenarios

import (
	"cmp"
	"encoding/base64"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// White-box checks use the profile's signing_key, the backend's own HMAC key, to sign
// tokens the backend would have issued. They do not test whether the key can mint
// tokens (on any backend it can): they only stand in for what a black-box check would
// otherwise wait for, and confirm what the issued tokens are signed with.

// keySigns confirms that key is the one t was signed with: the HMAC of t's unmodified
// header and claims, computed with key by the algorithm t names, must equal t's
// signature. It returns that algorithm, or why the key does not sign t, in a phrase fit
// for a summary.
func keySigns(t rawJWT, key string) (m jwt.SigningMethod, why string) {
	alg := t.header.str("alg")
	if _, ok := hmacHashes[alg]; !ok {
		return nil, fmt.Sprintf("the target signs its tokens with %s, not HMAC, so the "+
			"profile's signing_key cannot sign them", cmp.Or(alg, "no algorithm"))
	}
	m = jwt.GetSigningMethod(alg)
	sig, err := base64.RawURLEncoding.DecodeString(t.seg[2])
	if err != nil || m.Verify(t.signingInput(), sig, []byte(key)) != nil {
		return nil, "the profile's signing_key does not sign this target's tokens"
	}
	return m, ""
}

// resign returns a token with t's header and the claims p, signed with key by m.
func resign(t rawJWT, p claims, m jwt.SigningMethod, key string) (string, error) {
	input := t.seg[0] + "." + encodeSegment(p)
	sig, err := m.Sign(input, []byte(key))
	if err != nil {
		return "", fmt.Errorf("scenarios: sign with the profile's signing_key: %w", err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// noteSigningKey adds to the evidence whether the profile's signing_key signs the issued
// tokens that are JWTs. It notes nothing when the profile has no key.
func noteSigningKey(env *Env, tokens ...string) {
	key := env.Profile.SigningKey
	if key == "" {
		return
	}
	n := 0
	for _, tok := range tokens {
		t, err := splitJWT(tok)
		if err != nil {
			continue // an opaque token: no signature to verify
		}
		if _, why := keySigns(t, key); why != "" {
			env.Notef("token %s: %s", Fingerprint(tok), why)
			return
		}
		n++
	}
	env.Notef("the profile's signing_key (fingerprint %s) verifies the signatures of the "+
		"%d issued tokens", Fingerprint(key), n)
}
