package scenarios

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"hash"
	"strings"
	"time"
)

// tokenChecks are the checks of how the backend verifies the JWTs it is shown, and of
// how it signs and names the ones it issues.
func tokenChecks() []Check {
	return []Check{
		{ID: "tokens/alg-none", Level: Must, Run: checkForgery(algNoneForgery),
			Title: "unsigned tokens (alg none) are refused"},
		{ID: "tokens/signature-stripped", Level: Must, Run: checkForgery(strippedForgery),
			Title: "a token without its signature is refused"},
		{ID: "tokens/payload-tampered", Level: Must, Run: checkForgery(tamperedForgery),
			Title: "a token whose claims were changed is refused"},
		{ID: "tokens/foreign-key", Level: Must, Run: checkForgery(foreignKeyForgery),
			Title: "a token signed with another key is refused"},
		{ID: "tokens/key-confusion", Level: Must, Run: checkKeyConfusion,
			Title: "an HS256 token keyed by the public key is refused"},
		{ID: "tokens/weak-secret", Level: Must, Run: checkWeakSecret,
			Title: "tokens are not signed with a well-known secret"},
		{ID: "tokens/unique-jti", Level: Must, Run: checkUniqueJTI,
			Title: "every issued token has a jti of its own"},
	}
}

// rawJWT is a compact JWS: its three segments, the first two also decoded.
type rawJWT struct {
	header, payload claims
	seg             [3]string
}

// splitJWT splits a compact JWT; it fails with errNotJWT for anything else.
func splitJWT(token string) (rawJWT, error) {
	parts := strings.Split(token, ".")
	h, p, err := decodeJWT(token)
	if err != nil {
		return rawJWT{}, err
	}
	return rawJWT{header: h, payload: p, seg: [3]string{parts[0], parts[1], parts[2]}}, nil
}

// signingInput is what the signature covers: the first two segments.
func (t rawJWT) signingInput() string { return t.seg[0] + "." + t.seg[1] }

// encodeSegment encodes a header or payload as a JWT segment.
func encodeSegment(c claims) string {
	data, _ := json.Marshal(c) // claims decoded from JSON always marshal
	return base64.RawURLEncoding.EncodeToString(data)
}

// withClaim returns a copy of c with name set to v.
func (c claims) withClaim(name string, v any) claims {
	out := make(claims, len(c)+1)
	for k, val := range c {
		out[k] = val
	}
	out[name] = v
	return out
}

// forgery is one way of forging a token from one the backend issued.
type forgery struct {
	// what says how the forged copies differ from the issued token: "unsigned (alg none)".
	what string
	// forge returns forged variants of t.
	forge func(t rawJWT) ([]string, error)
	// fix ends the failure summary: what to change in the backend.
	fix string
}

var algNoneForgery = forgery{
	what: "unsigned (alg none)",
	forge: func(t rawJWT) ([]string, error) {
		var out []string
		for _, alg := range []string{"none", "None", "NONE"} {
			out = append(out, encodeSegment(t.header.withClaim("alg", alg))+"."+t.seg[1]+".")
		}
		withSig := encodeSegment(t.header.withClaim("alg", "none")) + "." + t.seg[1] + "." +
			t.seg[2]
		return append(out, withSig), nil
	},
	fix: "decode with a fixed list of algorithms (PyJWT's jwt.decode(..., " +
		"algorithms=[\"HS256\"]), as SimpleJWT does) and never accept alg none",
}

var strippedForgery = forgery{
	what: "stripped of the signature",
	forge: func(t rawJWT) ([]string, error) {
		return []string{t.signingInput() + "."}, nil
	},
	fix: "verify every token's signature before trusting it (never decode with " +
		"verify_signature off or a library's unverified parse)",
}

// tamperedLifetime is how much longer a tampered token claims to live.
const tamperedLifetime = 365 * 24 * time.Hour

var tamperedForgery = forgery{
	what: "with exp a year later under the old signature",
	forge: func(t rawJWT) ([]string, error) {
		exp, ok := t.payload.time("exp")
		if !ok {
			exp = time.Now()
		}
		p := t.payload.withClaim("exp", exp.Add(tamperedLifetime).Unix())
		return []string{t.seg[0] + "." + encodeSegment(p) + "." + t.seg[2]}, nil
	},
	fix: "verify the signature, which covers the claims, before reading them",
}

var foreignKeyForgery = forgery{
	what: "signed with another key",
	forge: func(t rawJWT) ([]string, error) {
		tok, err := signWithForeignKey(t)
		if err != nil {
			return nil, err
		}
		return []string{tok}, nil
	},
	fix: "verify signatures with your own key only, never one the token names (its jku, " +
		"x5u or jwk header) or none at all",
}

// checkForgery returns the check that presents forged copies of the issued tokens: the
// access token's at the user endpoint and the refresh token's at the refresh endpoint.
func checkForgery(f forgery) func(ctx context.Context, env *Env) Result {
	return func(ctx context.Context, env *Env) Result {
		tokens, err := env.SignIn(ctx)
		if err != nil {
			return Errored(err)
		}
		if _, err := splitJWT(tokens.Access); err != nil {
			return Skip("the access token is not a JWT, so there is no signature to forge")
		}
		noteSigningKey(env, tokens.Access, tokens.Refresh)
		n := 0
		for _, issued := range []labelledToken{{"access", tokens.Access},
			{"refresh", tokens.Refresh}} {
			t, err := splitJWT(issued.token)
			if err != nil {
				continue // an opaque refresh token: nothing to forge
			}
			forged, err := f.forge(t)
			if err != nil {
				return Errored(err)
			}
			set := forgedSet{kind: issued.label, tokens: forged, what: f.what, fix: f.fix}
			if res, bad := presentForged(ctx, env, set); bad {
				return res
			}
			n += len(forged)
		}
		return Pass("%d forged copies of the issued tokens, %s, were refused with 4xx", n,
			f.what)
	}
}

// forgedSet is forged tokens of one kind ("access" or "refresh"), what they are and
// what the backend must fix when it accepts one.
type forgedSet struct {
	kind      string
	tokens    []string
	what, fix string
}

// presentForged presents forged access tokens at the user endpoint, or forged refresh
// tokens at the refresh endpoint. bad is true with the verdict when one was not refused.
func presentForged(ctx context.Context, env *Env, set forgedSet) (res Result, bad bool) {
	path := env.Profile.User.Path
	if set.kind == "refresh" {
		path = env.Profile.Refresh.Path
	}
	for _, tok := range set.tokens {
		var resp *Response
		var err error
		if set.kind == "refresh" {
			resp, err = env.Client.Refresh(ctx, tok)
		} else {
			resp, err = env.Client.User(ctx, tok)
		}
		if err != nil {
			return Errored(err), true
		}
		switch {
		case resp.OK():
			return Fail("%s answered %d to a forged %s token, %s, so anyone can mint "+
				"tokens for any user: %s", path, resp.Status, set.kind, set.what,
				set.fix), true
		case !refused(resp):
			return Fail("%s answered %s to a forged %s token, %s; refuse forged tokens "+
				"with 401", path, env.Describe(resp), set.kind, set.what), true
		}
	}
	return Result{}, false
}

// hmacHashes are the hashes of the JWS HMAC algorithms (RFC 7518 section 3.2).
var hmacHashes = map[string]func() hash.Hash{
	"HS256": sha256.New, "HS384": sha512.New384, "HS512": sha512.New,
}

// weakSecrets are HMAC keys found in tutorials, library examples and default settings.
var weakSecrets = []string{
	"", "secret", "Secret", "SECRET", "secret-key", "secret_key", "secretkey", "SECRET_KEY",
	"your-256-bit-secret", "your-secret-key", "your_secret_key", "your-secret",
	"yoursecretkey", "changeme", "change-me", "change_me", "changeit", "mysecret",
	"my-secret", "my_secret", "mysecretkey", "my-secret-key", "supersecret",
	"super-secret", "super_secret", "supersecretkey", "super-secret-key", "topsecret",
	"jwt", "jwt-secret", "jwt_secret", "jwtsecret", "jwt-secret-key", "jwt_secret_key",
	"django-insecure", "django-insecure-secret-key", "django-insecure-change-me",
	"django-insecure-changeme", "insecure", "insecure-secret-key", "password", "passw0rd",
	"123456", "12345678", "qwerty", "key", "test", "testing", "dev", "development",
	"default", "example", "s3cr3t", "shhhhh", "keyboard cat", "not-so-secret",
}

func checkWeakSecret(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	t, err := splitJWT(tokens.Access)
	if err != nil {
		return Skip("the access token is not a JWT, so there is no signature to test")
	}
	noteSigningKey(env, tokens.Access, tokens.Refresh)
	alg := t.header.str("alg")
	newHash, ok := hmacHashes[alg]
	if !ok {
		return Skip("the access token is signed with %s, not HMAC: there is no shared "+
			"secret to guess", alg)
	}
	sig, err := base64.RawURLEncoding.DecodeString(t.seg[2])
	if err != nil {
		return Fail("the access token's signature is not base64url; encode JWTs as RFC " +
			"7515 section 7.1 says")
	}

	input := []byte(t.signingInput())
	for _, secret := range weakSecrets {
		mac := hmac.New(newHash, []byte(secret))
		mac.Write(input)
		if hmac.Equal(mac.Sum(nil), sig) {
			return Fail("the access token's %s signature verifies with a well-known "+
				"secret (%d characters, fingerprint %s), so anyone can sign tokens for any "+
				"user; set SIGNING_KEY (SimpleJWT's default is Django's SECRET_KEY) to at "+
				"least 32 random bytes kept out of the repository", alg, len(secret),
				Fingerprint(secret))
		}
	}
	return Pass("the access token's %s signature matches none of %d well-known secrets",
		alg, len(weakSecrets))
}

// labelledToken is an issued token and where it came from, for summaries.
type labelledToken struct {
	label, token string
}

func checkUniqueJTI(ctx context.Context, env *Env) Result {
	issued, err := issueSeveral(ctx, env)
	if err != nil {
		return Errored(err)
	}
	if _, err := splitJWT(issued[0].token); err != nil {
		return Skip("the access token is not a JWT, so it has no jti")
	}

	// A refresh token answered again is the same token, not a new one with the same
	// jti; an access token is new with every answer, even when it is the same string.
	byJTI := make(map[string]string)
	seen := make(map[string]bool)
	n := 0
	for _, lt := range issued {
		refresh := strings.Contains(lt.label, "refresh token")
		if lt.token == "" || refresh && seen[lt.token] {
			continue
		}
		seen[lt.token] = true
		n++
		_, c, err := decodeJWT(lt.token)
		jti := c.str("jti")
		if err != nil || jti == "" {
			continue
		}
		if first, ok := byJTI[jti]; ok {
			return Fail("%s repeats the jti of %s, so a blacklist or reuse check keyed on "+
				"jti confuses the two; draw every jti from a random source (SimpleJWT uses "+
				"uuid4().hex), never from the user and the time", lt.label, first)
		}
		byJTI[jti] = lt.label
	}
	if len(byJTI) == 0 {
		return Skip("the tokens carry no jti claim, so there is none to repeat")
	}
	return Pass("%d tokens from two sign-ins and two refreshes carry %d distinct jti values",
		n, len(byJTI))
}

// issueSeveral signs in, refreshes twice in a row and signs in again, and returns the
// tokens issued, the first sign-in's access token first.
func issueSeveral(ctx context.Context, env *Env) ([]labelledToken, error) {
	first, err := env.SignIn(ctx)
	if err != nil {
		return nil, err
	}
	out := []labelledToken{
		{"the sign-in's access token", first.Access},
		{"the sign-in's refresh token", first.Refresh},
	}
	refresh := first.Refresh
	for _, nth := range []string{"first", "second"} {
		resp, err := refreshOK(ctx, env, refresh)
		if err != nil {
			return nil, err
		}
		out = append(out,
			labelledToken{"the access token of the " + nth + " refresh", resp.Tokens.Access},
			labelledToken{"the refresh token of the " + nth + " refresh", resp.Tokens.Refresh})
		if resp.Tokens.Refresh != "" {
			refresh = resp.Tokens.Refresh
		}
	}
	second, err := env.SignIn(ctx)
	if err != nil {
		return nil, err
	}
	return append(out,
		labelledToken{"a second sign-in's access token", second.Access},
		labelledToken{"a second sign-in's refresh token", second.Refresh}), nil
}
