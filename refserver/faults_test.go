package refserver_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
)

// faultCase is one fault and a probe that reports whether its bug shows.
type faultCase struct {
	fault refserver.Fault
	cfg   refserver.Config // what the probe needs besides the fault
	bug   func(t *testing.T, e *env) bool
}

// faultCases has one case per known fault, in the order of docs/internals.md.
var faultCases = []faultCase{
	{fault: refserver.FaultCodeOnly, bug: func(t *testing.T, e *env) bool {
		return e.refresh(t, e.login(t).refresh).status == http.StatusBadRequest
	}},
	{fault: refserver.FaultNoRotate, bug: func(t *testing.T, e *env) bool {
		tok := e.login(t)
		return e.mustRefresh(t, tok.refresh).refresh == tok.refresh
	}},
	{fault: refserver.FaultNoBlacklist, bug: func(t *testing.T, e *env) bool {
		tok := e.login(t)
		e.mustRefresh(t, tok.refresh)
		return e.refresh(t, tok.refresh).status == http.StatusOK
	}},
	{fault: refserver.FaultRacyRotation, bug: func(t *testing.T, e *env) bool {
		return len(e.raceRefresh(t, e.login(t).refresh, 20).successors) > 1
	}},
	{fault: refserver.FaultIgnoreExp, bug: func(t *testing.T, e *env) bool {
		tok := e.login(t)
		e.advance(t, 6*time.Minute)
		return e.getUser(t, tok.access).status == http.StatusOK
	}},
	{fault: refserver.FaultLongAccess, bug: func(t *testing.T, e *env) bool {
		return lifetime(t, e.login(t).access) == 24*time.Hour
	}},
	{fault: refserver.FaultAlgNone, bug: func(t *testing.T, e *env) bool {
		e.login(t)
		forged := forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType,
			accessClaims(nil))
		return e.getUser(t, forged).status == http.StatusOK
	}},
	{fault: refserver.FaultNoTypeCheck, bug: func(t *testing.T, e *env) bool {
		tok := e.login(t)
		return e.refresh(t, tok.access).status == http.StatusOK &&
			e.getUser(t, tok.refresh).status == http.StatusOK
	}},
	{fault: refserver.FaultCodeReplay, bug: func(t *testing.T, e *env) bool {
		code := e.mintCode(t)
		require.Equal(t, http.StatusOK, e.postForm(t, "/social-login/google/",
			exchangeBody(code)).status)
		return e.postForm(t, "/social-login/google/", exchangeBody(code)).status == http.StatusOK
	}},
	{fault: refserver.FaultDropRefresh, bug: func(t *testing.T, e *env) bool {
		_, has := e.mustRefreshResp(t, e.login(t).refresh).object(t)["refresh_token"]
		return !has
	}},
	{fault: refserver.FaultInsecureCookies, cfg: refserver.Config{Cookies: true},
		bug: func(t *testing.T, e *env) bool {
			resp := e.postForm(t, "/social-login/google/", exchangeBody(e.mintCode(t)))
			c := cookiesOf(resp)["refresh_token"]
			require.NotNil(t, c)
			return !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path == "/"
		}},
	{fault: refserver.FaultSimpleJWTKeys, bug: func(t *testing.T, e *env) bool {
		resp := e.postForm(t, "/social-login/google/", exchangeBody(e.mintCode(t)))
		return resp.status == http.StatusOK && resp.str(t, "access_token") == ""
	}},
	{fault: refserver.FaultCrashOnGarbage, bug: func(t *testing.T, e *env) bool {
		resp := e.do(t, http.MethodPost, "/social-login/google/", "application/json",
			`{"code":`, nil)
		return resp.status == http.StatusInternalServerError
	}},
	{fault: refserver.FaultWeakSecret, bug: func(t *testing.T, e *env) bool {
		_, err := jwt.Parse(e.login(t).access, func(*jwt.Token) (any, error) {
			return []byte("secret"), nil
		}, jwt.WithValidMethods([]string{"HS256"}))
		return err == nil
	}},
	{fault: refserver.FaultNoStoreMissing, bug: func(t *testing.T, e *env) bool {
		resp := e.postForm(t, "/social-login/google/", exchangeBody(e.mintCode(t)))
		return resp.header.Get("Cache-Control") != "no-store"
	}},
	{fault: refserver.FaultNoVerify, bug: func(t *testing.T, e *env) bool {
		access := e.login(t).access
		tampered := access[:strings.LastIndex(access, ".")+1] +
			base64.RawURLEncoding.EncodeToString([]byte("not the signature"))
		return e.getUser(t, tampered).status == http.StatusOK
	}},
	{fault: refserver.FaultKeyConfusion, cfg: refserver.Config{Algorithm: "RS256"},
		bug: func(t *testing.T, e *env) bool {
			e.login(t)
			forged := forge(t, jwt.SigningMethodHS256, publicKeyPEM(t, e), accessClaims(nil))
			return e.getUser(t, forged).status == http.StatusOK
		}},
	{fault: refserver.FaultDupJTI, bug: func(t *testing.T, e *env) bool {
		tok := e.login(t)
		next := e.mustRefresh(t, tok.refresh)
		return claimsOf(t, tok.access)["jti"] == claimsOf(t, next.access)["jti"]
	}},
	{fault: refserver.FaultLogoutNoop, bug: func(t *testing.T, e *env) bool {
		tok := e.login(t)
		require.Equal(t, http.StatusOK,
			e.postForm(t, "/auth/logout/", "refresh="+tok.refresh).status)
		return e.refresh(t, tok.refresh).status == http.StatusOK
	}},
	{fault: refserver.FaultNoFamilyRevoke, bug: func(t *testing.T, e *env) bool {
		tok := e.login(t)
		next := e.mustRefresh(t, tok.refresh)
		require.Equal(t, http.StatusUnauthorized, e.refresh(t, tok.refresh).status)
		return e.refresh(t, next.refresh).status == http.StatusOK
	}},
	{fault: refserver.FaultAnonymousUser, bug: func(t *testing.T, e *env) bool {
		return e.getUser(t, "").status == http.StatusOK
	}},
	{fault: refserver.FaultGoogleError500, bug: func(t *testing.T, e *env) bool {
		resp := e.postForm(t, "/social-login/google/", exchangeBody("4/unknown"))
		return resp.status == http.StatusInternalServerError
	}},
	{fault: refserver.FaultJSONOnly, bug: func(t *testing.T, e *env) bool {
		resp := e.postForm(t, "/social-login/google/", exchangeBody(e.mintCode(t)))
		return resp.status != http.StatusOK
	}},
	{fault: refserver.FaultDropVerifier, bug: func(t *testing.T, e *env) bool {
		const verifier = "0123456789abcdef0123456789abcdef0123456789abcdef01234567"
		code, err := e.google.MintCode(mockgoogle.CodeRequest{ClientID: "authprobe-client",
			RedirectURI: testRedirect, CodeChallenge: verifier, CodeChallengeMethod: "plain"})
		require.NoError(t, err)
		e.postForm(t, "/social-login/google/", exchangeBody(code)+"&code_verifier="+verifier)
		for _, r := range e.google.Requests() {
			if r.Endpoint == mockgoogle.EndpointToken && !r.HasField("code_verifier") {
				return true
			}
		}
		return false
	}},
	{fault: refserver.FaultSkewedClock, bug: func(t *testing.T, e *env) bool {
		return e.getUser(t, e.login(t).access).status == http.StatusUnauthorized
	}},
	{fault: refserver.FaultLongRefresh, bug: func(t *testing.T, e *env) bool {
		return lifetime(t, e.login(t).refresh) == 7200*time.Hour
	}},
	{fault: refserver.FaultUnsavedRotation, bug: func(t *testing.T, e *env) bool {
		next := e.mustRefresh(t, e.login(t).refresh)
		return e.refresh(t, next.refresh).status == http.StatusUnauthorized
	}},
	{fault: refserver.FaultStaleCookie, cfg: refserver.Config{Cookies: true},
		bug: func(t *testing.T, e *env) bool {
			resp := e.mustRefreshResp(t, e.login(t).refresh)
			return len(resp.header.Values("Set-Cookie")) == 0
		}},
}

func TestFaultsObservable(t *testing.T) {
	for _, tc := range faultCases {
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

func TestFaultCasesCoverEveryFault(t *testing.T) {
	var names []string
	for _, tc := range faultCases {
		names = append(names, string(tc.fault))
	}

	assert.Equal(t, refserver.FaultNames(), names)
	assert.Len(t, names, 28)
}

func TestParseFault(t *testing.T) {
	f, err := refserver.ParseFault("racy-rotation")
	require.NoError(t, err)
	assert.Equal(t, refserver.FaultRacyRotation, f)

	_, err = refserver.ParseFault("no-such-fault")
	require.ErrorIs(t, err, refserver.ErrUnknownFault)
	assert.Contains(t, err.Error(), "code-only, no-rotate")
}

func TestNewRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  refserver.Config
		want error
	}{
		{"unknown fault", refserver.Config{Faults: []refserver.Fault{"nope"}},
			refserver.ErrUnknownFault},
		{"unknown algorithm", refserver.Config{Algorithm: "HS512"}, refserver.ErrInvalidConfig},
		{"unknown error style", refserver.Config{ErrorStyle: "json"},
			refserver.ErrInvalidConfig},
		{"key confusion with HS256", refserver.Config{Algorithm: "HS256",
			Faults: []refserver.Fault{refserver.FaultKeyConfusion}}, refserver.ErrInvalidConfig},
		{"negative grace", refserver.Config{ReuseGrace: -time.Second},
			refserver.ErrInvalidConfig},
		{"sub-second lifetime", refserver.Config{AccessTTL: time.Millisecond},
			refserver.ErrInvalidConfig},
		{"no google", refserver.Config{GoogleURL: "-"}, refserver.ErrInvalidConfig},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.DB = ":memory:"
			if cfg.GoogleURL == "" {
				cfg.GoogleURL = "http://127.0.0.1:1"
			} else {
				cfg.GoogleURL = ""
			}

			_, err := refserver.New(t.Context(), cfg)

			require.ErrorIs(t, err, tc.want)
		})
	}
}

// lifetime is a token's exp minus its iat.
func lifetime(t testing.TB, token string) time.Duration {
	t.Helper()
	c := claimsOf(t, token)
	return time.Duration(claimInt(t, c, "exp")-claimInt(t, c, "iat")) * time.Second
}

// publicKeyPEM fetches the server's JWKS and encodes its key as a PKIX PEM block, the
// bytes a key-confusion attacker uses as an HMAC secret.
func publicKeyPEM(t testing.TB, e *env) []byte {
	t.Helper()
	resp := e.do(t, http.MethodGet, "/auth/jwks/", "", "", nil)
	require.Equal(t, http.StatusOK, resp.status)
	var set jose.JSONWebKeySet
	require.NoError(t, json.Unmarshal(resp.body, &set))
	require.NotEmpty(t, set.Keys)
	der, err := x509.MarshalPKIXPublicKey(set.Keys[0].Key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}
