package refserver_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/refserver"
)

const testKey = "test-signing-key-0123456789abcdef"

// forge signs claims with the given method and key.
func forge(t testing.TB, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	require.NoError(t, err)
	return s
}

// accessClaims are valid access claims for user 1 at the server's current time.
func accessClaims(overrides jwt.MapClaims) jwt.MapClaims {
	now := time.Now().Unix()
	c := jwt.MapClaims{"token_type": "access", "exp": now + 300, "iat": now,
		"jti": "0123456789abcdef0123456789abcdef", "user_id": 1}
	for k, v := range overrides {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

// invalidAccess is SimpleJWT's nested body for a refused access token.
func invalidAccess(msg string) string {
	return `{"detail":"Given token not valid for any token type","code":"token_not_valid",
		"messages":[{"token_class":"AccessToken","token_type":"access","message":"` + msg + `"}]}`
}

func TestUserRefused(t *testing.T) {
	hs := func(c jwt.MapClaims) func(*testing.T, tokens) string {
		return func(t *testing.T, _ tokens) string {
			return "Bearer " + forge(t, jwt.SigningMethodHS256, []byte(testKey), accessClaims(c))
		}
	}
	tests := []struct {
		name   string
		header func(t *testing.T, tok tokens) string // Authorization; "" sends none
		want   string
	}{
		{
			name:   "no header",
			header: func(*testing.T, tokens) string { return "" },
			want:   `{"detail":"Authentication credentials were not provided."}`,
		},
		{
			name:   "lowercase scheme",
			header: func(_ *testing.T, tok tokens) string { return "bearer " + tok.access },
			want:   `{"detail":"Authentication credentials were not provided."}`,
		},
		{
			name:   "bearer alone",
			header: func(*testing.T, tokens) string { return "Bearer" },
			want: `{"detail":"Authorization header must contain two space-delimited values",
				"code":"bad_authorization_header"}`,
		},
		{
			name:   "garbage",
			header: func(*testing.T, tokens) string { return "Bearer garbage" },
			want:   invalidAccess("Token is invalid or expired"),
		},
		{
			name:   "refresh token",
			header: func(_ *testing.T, tok tokens) string { return "Bearer " + tok.refresh },
			want:   invalidAccess("Token has wrong type"),
		},
		{
			name: "stripped signature",
			header: func(_ *testing.T, tok tokens) string {
				return "Bearer " + tok.access[:strings.LastIndex(tok.access, ".")+1]
			},
			want: invalidAccess("Token is invalid or expired"),
		},
		{
			name: "alg none",
			header: func(t *testing.T, _ tokens) string {
				return "Bearer " + forge(t, jwt.SigningMethodNone,
					jwt.UnsafeAllowNoneSignatureType, accessClaims(nil))
			},
			want: invalidAccess("Token is invalid or expired"),
		},
		{
			name: "HS512 with the same key",
			header: func(t *testing.T, _ tokens) string {
				return "Bearer " + forge(t, jwt.SigningMethodHS512, []byte(testKey),
					accessClaims(nil))
			},
			want: invalidAccess("Token is invalid or expired"),
		},
		{
			name:   "expired",
			header: hs(jwt.MapClaims{"exp": time.Now().Unix() - 1}),
			want:   invalidAccess("Token is invalid or expired"),
		},
		{
			name:   "iat in the future",
			header: hs(jwt.MapClaims{"iat": time.Now().Unix() + 60}),
			want:   invalidAccess("Token is invalid or expired"),
		},
		{
			name:   "no exp",
			header: hs(jwt.MapClaims{"exp": nil}),
			want:   invalidAccess("Token has no 'exp' claim"),
		},
		{
			name:   "no jti",
			header: hs(jwt.MapClaims{"jti": nil}),
			want:   invalidAccess("Token has no id"),
		},
		{
			name:   "no token_type",
			header: hs(jwt.MapClaims{"token_type": nil}),
			want:   invalidAccess("Token has no type"),
		},
		{
			name:   "no user_id",
			header: hs(jwt.MapClaims{"user_id": nil}),
			want: `{"detail":"Token contained no recognizable user identification",
				"code":"token_not_valid"}`,
		},
		{
			name:   "unknown user",
			header: hs(jwt.MapClaims{"user_id": 42}),
			want:   `{"detail":"User not found","code":"user_not_found"}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, refserver.Config{SigningKey: testKey})
			h := http.Header{}
			if v := tc.header(t, e.login(t)); v != "" {
				h.Set("Authorization", v)
			}

			resp := e.do(t, http.MethodGet, "/auth/user/", "", "", h)

			assert.Equal(t, http.StatusUnauthorized, resp.status)
			assert.JSONEq(t, tc.want, string(resp.body))
			assert.Equal(t, `Bearer realm="api"`, resp.header.Get("WWW-Authenticate"))
		})
	}
}

func TestUserForgedWithKeyAccepted(t *testing.T) {
	e := newEnv(t, refserver.Config{SigningKey: testKey})
	e.login(t)

	resp := e.getUser(t, forge(t, jwt.SigningMethodHS256, []byte(testKey), accessClaims(nil)))

	assert.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
}

func TestUserRefusedRFC6749(t *testing.T) {
	e := newEnv(t, refserver.Config{ErrorStyle: "rfc6749"})

	resp := e.getUser(t, "garbage")

	assert.Equal(t, http.StatusUnauthorized, resp.status)
	assert.JSONEq(t, `{"error":"invalid_token","error_description":"Token is invalid or expired"}`,
		string(resp.body))
	assert.Equal(t, `Bearer realm="api", error="invalid_token"`,
		resp.header.Get("WWW-Authenticate"))
}
