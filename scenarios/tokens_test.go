package scenarios

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/refserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenFaults(t *testing.T) {
	runFaultCases(t, []faultCase{
		{fault: "alg-none", check: "tokens/alg-none"},
		{fault: "no-verify", check: "tokens/signature-stripped"},
		{fault: "no-verify", check: "tokens/payload-tampered"},
		{fault: "no-verify", check: "tokens/foreign-key"},
		{fault: "weak-secret", check: "tokens/weak-secret"},
		{fault: "dup-jti", check: "tokens/unique-jti"},
	})
}

// TestTokensOnRS256 proves the token checks on refserver signing with RS256 and serving
// its JWK set: each passes or skips as it is, and key confusion is caught.
func TestTokensOnRS256(t *testing.T) {
	rs256 := refserver.Config{Algorithm: "RS256"}
	cases := []targetCase{
		{name: "key-confusion", cfg: rs256, faults: []string{"key-confusion"},
			check: "tokens/key-confusion", want: StatusFail},
		{name: "no-verify", cfg: rs256, faults: []string{"no-verify"},
			check: "tokens/foreign-key", want: StatusFail},
		{name: "HS256", cfg: refserver.Config{}, check: "tokens/key-confusion",
			want: StatusSkip},
		{name: "RS256", cfg: rs256, check: "tokens/weak-secret", want: StatusSkip},
	}
	for _, c := range tokenChecks() {
		if c.ID != "tokens/weak-secret" {
			cases = append(cases, targetCase{name: "RS256", cfg: rs256, check: c.ID,
				want: StatusPass})
		}
	}
	runTargetCases(t, cases)
}

func TestForgeries(t *testing.T) {
	issued := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
		"eyJleHAiOjE3OTYzOTc1MTYsImp0aSI6ImVmNWMiLCJ1c2VyX2lkIjoxfQ.c2lnbmF0dXJl"
	tok, err := splitJWT(issued)
	require.NoError(t, err)

	tests := []struct {
		name  string
		f     forgery
		check func(t *testing.T, forged rawJWT)
	}{
		{"alg none", algNoneForgery, func(t *testing.T, forged rawJWT) {
			assert.Equal(t, "none", strings.ToLower(forged.header.str("alg")))
			assert.Equal(t, tok.seg[1], forged.seg[1])
		}},
		{"stripped", strippedForgery, func(t *testing.T, forged rawJWT) {
			assert.Equal(t, tok.seg[:2], forged.seg[:2])
			assert.Empty(t, forged.seg[2])
		}},
		{"tampered", tamperedForgery, func(t *testing.T, forged rawJWT) {
			exp, _ := forged.payload.time("exp")
			was, _ := tok.payload.time("exp")
			assert.Equal(t, tamperedLifetime, exp.Sub(was))
			assert.Equal(t, tok.seg[2], forged.seg[2])
		}},
		{"foreign key", foreignKeyForgery, func(t *testing.T, forged rawJWT) {
			assert.Equal(t, tok.seg[:2], forged.seg[:2])
			assert.NotEqual(t, tok.seg[2], forged.seg[2])
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			forged, err := tc.f.forge(tok)
			require.NoError(t, err)
			require.NotEmpty(t, forged)
			for _, f := range forged {
				ft, err := splitJWT(f)
				require.NoError(t, err)
				tc.check(t, ft)
			}
		})
	}
}

// TestTokensNoteSigningKey proves that the forgery checks say in their evidence whether
// the profile's signing_key signs the issued tokens.
func TestTokensNoteSigningKey(t *testing.T) {
	tests := []struct {
		name, key, note string
	}{
		{"target's key", "", "verifies the signatures of the 2 issued tokens"},
		{"wrong key", "not-the-target-key", "does not sign this target's tokens"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tgt := newTarget(t)
			if tc.key != "" {
				tgt.Profile.SigningKey = tc.key
			}

			res := runChecks(t, tgt, "tokens/payload-tampered")["tokens/payload-tampered"]

			assert.Equal(t, StatusPass, res.Status, describeResult(res))
			assert.Contains(t, evidenceNotes(res), tc.note)
		})
	}
}
