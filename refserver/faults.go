package refserver

import (
	"fmt"
	"slices"
	"strings"
)

// Fault names one real-world bug that refserver can switch on. Each fault is caught by at
// least one authprobe check; docs/internals.md lists which. The zero value is no fault.
type Fault string

// The faults refserver knows. Each comment says what the server then does wrong.
const (
	// FaultCodeOnly makes the login endpoint handle only a code: a refresh body gets 400.
	FaultCodeOnly Fault = "code-only"
	// FaultNoRotate makes a refresh answer the presented refresh token again.
	FaultNoRotate Fault = "no-rotate"
	// FaultNoBlacklist issues a successor on refresh but leaves the old token valid.
	FaultNoBlacklist Fault = "no-blacklist"
	// FaultRacyRotation rotates with a read, a pause of a few milliseconds, then a write,
	// so that concurrent refreshes of one token all succeed and fork the family.
	FaultRacyRotation Fault = "racy-rotation"
	// FaultIgnoreExp stops checking the access token's exp.
	FaultIgnoreExp Fault = "ignore-exp"
	// FaultLongAccess issues access tokens that live 24h whatever the setting.
	FaultLongAccess Fault = "long-access"
	// FaultAlgNone accepts unsigned tokens (alg "none").
	FaultAlgNone Fault = "alg-none"
	// FaultNoTypeCheck ignores token_type: an access token refreshes (starting a new
	// session for its user) and a refresh token opens the user endpoint.
	FaultNoTypeCheck Fault = "no-type-check"
	// FaultCodeReplay caches sign-ins by code, so a replayed code signs in again without
	// asking Google.
	FaultCodeReplay Fault = "code-replay"
	// FaultDropRefresh rotates on refresh but answers no refresh token.
	FaultDropRefresh Fault = "drop-refresh"
	// FaultInsecureCookies sets cookies without Secure, HttpOnly and SameSite, and scopes
	// the refresh cookie to "/".
	FaultInsecureCookies Fault = "insecure-cookies"
	// FaultSimpleJWTKeys answers the login endpoint with only the access and refresh keys.
	FaultSimpleJWTKeys Fault = "simplejwt-keys"
	// FaultCrashOnGarbage answers malformed bodies and garbage tokens with a 500 debug page.
	FaultCrashOnGarbage Fault = "crash-on-garbage"
	// FaultWeakSecret signs with HS256 and the key "secret".
	FaultWeakSecret Fault = "weak-secret"
	// FaultNoStoreMissing leaves Cache-Control: no-store off token answers.
	FaultNoStoreMissing Fault = "no-store-missing"
	// FaultNoVerify stops verifying token signatures.
	FaultNoVerify Fault = "no-verify"
	// FaultKeyConfusion accepts, with RS256 or EdDSA, an HS256 token keyed by the encoded
	// public key (PEM, PKIX or PKCS #1, or DER). It selects RS256 when no algorithm is set.
	FaultKeyConfusion Fault = "key-confusion"
	// FaultDupJTI derives the access token's jti from the user and the second its session's
	// refresh token was issued, so it repeats across a refresh.
	FaultDupJTI Fault = "dup-jti"
	// FaultLogoutNoop makes logout answer 200 and revoke nothing.
	FaultLogoutNoop Fault = "logout-noop"
	// FaultNoFamilyRevoke refuses a reused refresh token but leaves its successors valid.
	FaultNoFamilyRevoke Fault = "no-family-revoke"
	// FaultAnonymousUser makes the user endpoint answer a default user without a token.
	FaultAnonymousUser Fault = "anonymous-user"
	// FaultGoogleError500 turns a Google error into a 500.
	FaultGoogleError500 Fault = "google-error-500"
	// FaultJSONOnly makes the login endpoint refuse form bodies.
	FaultJSONOnly Fault = "json-only"
	// FaultDropVerifier stops forwarding code_verifier to Google.
	FaultDropVerifier Fault = "drop-verifier"
	// FaultSkewedClock verifies tokens with a clock one hour fast, so fresh access tokens
	// are refused as expired.
	FaultSkewedClock Fault = "skewed-clock"
	// FaultLongRefresh issues refresh tokens that live ten times the setting.
	FaultLongRefresh Fault = "long-refresh"
	// FaultUnsavedRotation never records the successor refresh token, so it is refused.
	FaultUnsavedRotation Fault = "unsaved-rotation"
	// FaultStaleCookie answers a refresh with new tokens but does not re-set the cookies.
	FaultStaleCookie Fault = "stale-cookie"
)

// knownFaults lists every fault in the order of docs/internals.md.
var knownFaults = []Fault{
	FaultCodeOnly, FaultNoRotate, FaultNoBlacklist, FaultRacyRotation, FaultIgnoreExp,
	FaultLongAccess, FaultAlgNone, FaultNoTypeCheck, FaultCodeReplay, FaultDropRefresh,
	FaultInsecureCookies, FaultSimpleJWTKeys, FaultCrashOnGarbage, FaultWeakSecret,
	FaultNoStoreMissing, FaultNoVerify, FaultKeyConfusion, FaultDupJTI, FaultLogoutNoop,
	FaultNoFamilyRevoke, FaultAnonymousUser, FaultGoogleError500, FaultJSONOnly,
	FaultDropVerifier, FaultSkewedClock, FaultLongRefresh, FaultUnsavedRotation,
	FaultStaleCookie,
}

// FaultNames returns the names of every known fault, in a stable order.
func FaultNames() []string {
	names := make([]string, len(knownFaults))
	for i, f := range knownFaults {
		names[i] = string(f)
	}
	return names
}

// ParseFault returns the fault with the given name. For an unknown name it returns an
// error wrapping [ErrUnknownFault] whose message lists the known names.
func ParseFault(name string) (Fault, error) {
	f := Fault(strings.TrimSpace(name))
	if !slices.Contains(knownFaults, f) {
		return "", fmt.Errorf("%w %q (known: %s)", ErrUnknownFault, name,
			strings.Join(FaultNames(), ", "))
	}
	return f, nil
}

// faultSet is the set of faults a server runs with. It is read-only after New, so it is
// safe for concurrent use.
type faultSet map[Fault]bool

// on reports whether f is switched on.
func (fs faultSet) on(f Fault) bool { return fs[f] }

// newFaultSet checks every fault and builds the set.
func newFaultSet(faults []Fault) (faultSet, error) {
	fs := make(faultSet, len(faults))
	for _, f := range faults {
		if _, err := ParseFault(string(f)); err != nil {
			return nil, err
		}
		fs[f] = true
	}
	return fs, nil
}
