package refserver_test

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
)

// restOnlyFaults bend what only the REST endpoints do: the login endpoint's handling of
// refresh bodies and form bodies, and its JSON keys.
var restOnlyFaults = []refserver.Fault{
	refserver.FaultCodeOnly, refserver.FaultSimpleJWTKeys, refserver.FaultJSONOnly,
}

// gqlOK requires an answer without errors.
func gqlOK(t testing.TB, a gqlAnswer) gqlAnswer {
	t.Helper()
	require.Empty(t, a.Errors, "%s", a.body)
	return a
}

// gqlMustRefresh rotates refresh over GraphQL and requires success.
func (e *env) gqlMustRefresh(t testing.TB, refresh string) tokens {
	t.Helper()
	return gqlOK(t, e.gqlRefreshToken(t, refresh)).pair(t, "refreshToken")
}

// gqlUserOK reports whether me answers a user for the bearer token access.
func (e *env) gqlUserOK(t testing.TB, access string) bool {
	t.Helper()
	a := e.gql(t, gqlMe, nil, access)
	return len(a.Errors) == 0 && string(a.Data["me"]) != "null"
}

// gqlRefreshOK reports whether refreshToken accepts refresh.
func (e *env) gqlRefreshOK(t testing.TB, refresh string) bool {
	t.Helper()
	return len(e.gqlRefreshToken(t, refresh).Errors) == 0
}

// gqlSignInCode runs socialAuth with code.
func (e *env) gqlSignInCode(t testing.TB, code string) gqlAnswer {
	t.Helper()
	return e.gql(t, gqlSignIn, map[string]any{"code": code}, "")
}

// gqlFaultCases has a GraphQL probe for every fault but the REST-only ones, in the order
// of docs/internals.md.
var gqlFaultCases = []faultCase{
	{fault: refserver.FaultNoRotate, bug: func(t *testing.T, e *env) bool {
		tok := e.gqlLogin(t)
		return e.gqlMustRefresh(t, tok.refresh).refresh == tok.refresh
	}},
	{fault: refserver.FaultNoBlacklist, bug: func(t *testing.T, e *env) bool {
		tok := e.gqlLogin(t)
		e.gqlMustRefresh(t, tok.refresh)
		return e.gqlRefreshOK(t, tok.refresh)
	}},
	{fault: refserver.FaultRacyRotation, bug: func(t *testing.T, e *env) bool {
		return e.gqlRaceRefresh(t, e.gqlLogin(t).refresh, 20) > 1
	}},
	{fault: refserver.FaultIgnoreExp, bug: func(t *testing.T, e *env) bool {
		tok := e.gqlLogin(t)
		e.advance(t, 6*time.Minute)
		return e.gqlUserOK(t, tok.access)
	}},
	{fault: refserver.FaultLongAccess, bug: func(t *testing.T, e *env) bool {
		return lifetime(t, e.gqlLogin(t).access) == 24*time.Hour
	}},
	{fault: refserver.FaultAlgNone, bug: func(t *testing.T, e *env) bool {
		e.gqlLogin(t)
		forged := forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType,
			accessClaims(nil))
		return e.gqlUserOK(t, forged)
	}},
	{fault: refserver.FaultNoTypeCheck, bug: func(t *testing.T, e *env) bool {
		tok := e.gqlLogin(t)
		return e.gqlRefreshOK(t, tok.access) && e.gqlUserOK(t, tok.refresh)
	}},
	{fault: refserver.FaultCodeReplay, bug: func(t *testing.T, e *env) bool {
		code := e.mintCode(t)
		gqlOK(t, e.gqlSignInCode(t, code))
		return len(e.gqlSignInCode(t, code).Errors) == 0
	}},
	{fault: refserver.FaultDropRefresh, bug: func(t *testing.T, e *env) bool {
		return e.gqlMustRefresh(t, e.gqlLogin(t).refresh).refresh == ""
	}},
	{fault: refserver.FaultInsecureCookies, cfg: refserver.Config{Cookies: true},
		bug: func(t *testing.T, e *env) bool {
			a := gqlOK(t, e.gqlSignInCode(t, e.mintCode(t)))
			c := cookiesOf(a.response)["refresh_token"]
			require.NotNil(t, c)
			return !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path == "/"
		}},
	{fault: refserver.FaultCrashOnGarbage, bug: func(t *testing.T, e *env) bool {
		resp := e.do(t, http.MethodPost, "/graphql", "application/json", `{"query":`, nil)
		return resp.status == http.StatusInternalServerError
	}},
	{fault: refserver.FaultWeakSecret, bug: func(t *testing.T, e *env) bool {
		_, err := jwt.Parse(e.gqlLogin(t).access, func(*jwt.Token) (any, error) {
			return []byte("secret"), nil
		}, jwt.WithValidMethods([]string{"HS256"}))
		return err == nil
	}},
	{fault: refserver.FaultNoStoreMissing, bug: func(t *testing.T, e *env) bool {
		a := gqlOK(t, e.gqlSignInCode(t, e.mintCode(t)))
		return a.header.Get("Cache-Control") != "no-store"
	}},
	{fault: refserver.FaultNoVerify, bug: func(t *testing.T, e *env) bool {
		access := e.gqlLogin(t).access
		tampered := access[:strings.LastIndex(access, ".")+1] +
			base64.RawURLEncoding.EncodeToString([]byte("not the signature"))
		return e.gqlUserOK(t, tampered)
	}},
	{fault: refserver.FaultKeyConfusion, cfg: refserver.Config{Algorithm: "RS256"},
		bug: func(t *testing.T, e *env) bool {
			e.gqlLogin(t)
			forged := forge(t, jwt.SigningMethodHS256, publicKeyPEM(t, e), accessClaims(nil))
			return e.gqlUserOK(t, forged)
		}},
	{fault: refserver.FaultDupJTI, bug: func(t *testing.T, e *env) bool {
		tok := e.gqlLogin(t)
		next := e.gqlMustRefresh(t, tok.refresh)
		return claimsOf(t, tok.access)["jti"] == claimsOf(t, next.access)["jti"]
	}},
	{fault: refserver.FaultLogoutNoop, bug: func(t *testing.T, e *env) bool {
		tok := e.gqlLogin(t)
		gqlOK(t, e.gql(t, gqlRevoke, map[string]any{"token": tok.refresh}, ""))
		return e.gqlRefreshOK(t, tok.refresh)
	}},
	{fault: refserver.FaultNoFamilyRevoke, bug: func(t *testing.T, e *env) bool {
		tok := e.gqlLogin(t)
		next := e.gqlMustRefresh(t, tok.refresh)
		require.False(t, e.gqlRefreshOK(t, tok.refresh))
		return e.gqlRefreshOK(t, next.refresh)
	}},
	{fault: refserver.FaultAnonymousUser, bug: func(t *testing.T, e *env) bool {
		return e.gqlUserOK(t, "")
	}},
	{fault: refserver.FaultGoogleError500, bug: func(t *testing.T, e *env) bool {
		return e.gqlSignInCode(t, "4/unknown").code() == "INTERNAL_SERVER_ERROR"
	}},
	{fault: refserver.FaultDropVerifier, bug: func(t *testing.T, e *env) bool {
		const verifier = "0123456789abcdef0123456789abcdef0123456789abcdef01234567"
		code, err := e.google.MintCode(mockgoogle.CodeRequest{ClientID: "authprobe-client",
			RedirectURI: testRedirect, CodeChallenge: verifier, CodeChallengeMethod: "plain"})
		require.NoError(t, err)
		a := e.gql(t, gqlSignIn, map[string]any{"code": code, "verifier": verifier}, "")
		return len(a.Errors) > 0
	}},
	{fault: refserver.FaultSkewedClock, bug: func(t *testing.T, e *env) bool {
		return !e.gqlUserOK(t, e.gqlLogin(t).access)
	}},
	{fault: refserver.FaultLongRefresh, bug: func(t *testing.T, e *env) bool {
		return lifetime(t, e.gqlLogin(t).refresh) == 7200*time.Hour
	}},
	{fault: refserver.FaultUnsavedRotation, bug: func(t *testing.T, e *env) bool {
		next := e.gqlMustRefresh(t, e.gqlLogin(t).refresh)
		return !e.gqlRefreshOK(t, next.refresh)
	}},
	{fault: refserver.FaultStaleCookie, cfg: refserver.Config{Cookies: true},
		bug: func(t *testing.T, e *env) bool {
			a := gqlOK(t, e.gqlRefreshToken(t, e.gqlLogin(t).refresh))
			return len(a.header.Values("Set-Cookie")) == 0
		}},
}

// gqlRaceRefresh sends n refreshToken mutations of one token at once and returns how many
// distinct pairs were answered.
func (e *env) gqlRaceRefresh(t testing.TB, refresh string, n int) int {
	t.Helper()
	pairs := map[tokens]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-start
			a := e.gqlRefreshToken(t, refresh)
			if len(a.Errors) > 0 {
				return
			}
			p := a.pair(t, "refreshToken")
			mu.Lock()
			defer mu.Unlock()
			pairs[p] = true
		})
	}
	close(start)
	wg.Wait()
	return len(pairs)
}

func TestGraphQLFaultsObservable(t *testing.T) {
	for _, tc := range gqlFaultCases {
		t.Run(string(tc.fault), func(t *testing.T) {
			t.Run("off", func(t *testing.T) {
				assert.False(t, tc.bug(t, newEnv(t, tc.cfg)), "bug shows without the fault")
			})
			t.Run("on", func(t *testing.T) {
				cfg := tc.cfg
				cfg.Faults = []refserver.Fault{tc.fault}
				assert.True(t, tc.bug(t, newEnv(t, cfg)), "bug hidden with the fault on")
			})
		})
	}
}

func TestGraphQLFaultCasesCoverEveryFault(t *testing.T) {
	var names []string
	for _, tc := range gqlFaultCases {
		names = append(names, string(tc.fault))
	}
	for _, f := range restOnlyFaults {
		names = append(names, string(f))
	}

	assert.ElementsMatch(t, refserver.FaultNames(), names)
	assert.Len(t, slices.Compact(slices.Sorted(slices.Values(names))), len(names))
}

func TestGraphQLRESTOnlyFaultsLeaveGraphQLAlone(t *testing.T) {
	e := newEnv(t, refserver.Config{Faults: restOnlyFaults})

	tok := e.gqlLogin(t)
	next := e.gqlMustRefresh(t, tok.refresh)

	assert.NotEmpty(t, next.refresh)
	assert.True(t, e.gqlUserOK(t, next.access))
}
