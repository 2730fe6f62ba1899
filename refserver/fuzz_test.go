package refserver

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

// requireClientError requires err to be an answer with a 4xx status in both styles.
func requireClientError(t *testing.T, err error) {
	t.Helper()
	var e *apiError
	require.ErrorAs(t, err, &e)
	require.GreaterOrEqual(t, e.status, 400)
	require.Less(t, e.status, 500)
	require.GreaterOrEqual(t, e.oauthCode, 400)
	require.Less(t, e.oauthCode, 500)
}

func FuzzDecodeBody(f *testing.F) {
	seeds := []struct{ contentType, body string }{
		{encForm, "code=4%2F0AX&client_id=c&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Flogin" +
			"&response_type=code&audience&grant_type"},
		{encForm, "refresh_token=a.b.c&scopes=openid%20profile%20email&client_id=c" +
			"&grant_type=refresh_token"},
		{encForm, "code=%zz"},
		{encForm, "grant_type=password"},
		{encJSON, `{"code":"c","code_verifier":"v","redirect_uri":"http://localhost/"}`},
		{encJSON, `{"refresh":12}`},
		{encJSON, `[1]`},
		{encJSON, `null`},
		{encJSON, `{"a":1}{}`},
		{"", `{"refresh_token":"x"}`},
		{"", "refresh=x"},
		{"multipart/form-data; boundary=xx",
			"--xx\r\nContent-Disposition: form-data; name=\"code\"\r\n\r\nc\r\n--xx--\r\n"},
		{"multipart/form-data", "x"},
		{"application/problem+json", `{"code":"c"}`},
		{"text/plain", "code=c"},
		{"application/json; =", "{}"},
	}
	for _, s := range seeds {
		f.Add(s.contentType, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, pathLogin, bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)

		f, err := decodeBody(httptest.NewRecorder(), r)
		if err != nil {
			requireClientError(t, err)
			return
		}
		if _, err := parseLoginRequest(f, ""); err != nil {
			requireClientError(t, err)
		}
	})
}

func FuzzVerifyToken(f *testing.F) {
	hs, err := newKeys(algHS256, "fuzz-signing-key")
	require.NoError(f, err)
	ed, err := newKeys(algEdDSA, "")
	require.NoError(f, err)
	loose := faultSet{FaultAlgNone: true, FaultIgnoreExp: true, FaultNoTypeCheck: true,
		FaultSkewedClock: true}
	verifiers := []*verifier{
		newVerifier(hs, time.Now, faultSet{}),
		newVerifier(hs, time.Now, loose),
		newVerifier(hs, time.Now, faultSet{FaultNoVerify: true}),
		newVerifier(ed, time.Now, faultSet{FaultKeyConfusion: true}),
	}

	now := time.Now()
	g := issuer{accessTTL: time.Minute, refreshTTL: time.Hour}.newGrant(1, now, now.Unix())
	p, err := hs.signPair(g)
	require.NoError(f, err)
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"token_type": "access",
		"exp": now.Unix() + 60, "jti": "x", "user_id": "7"}).
		SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(f, err)
	for _, seed := range []string{p.access, p.refresh, none, "", "garbage", "a.b.c", "..",
		"e30.e30.", "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOiJzb29uIn0.x",
		"eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjp7fSwiaWF0IjoxZTQwMH0."} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, v := range verifiers {
			for _, want := range []string{typeAccess, typeRefresh} {
				c, err := v.verify(raw, want)
				if err != nil {
					var te *tokenError
					require.ErrorAs(t, err, &te)
					continue
				}
				c.userID()
				unixOr(c.IssuedAt, 0)
			}
		}
	})
}

func FuzzServe(f *testing.F) {
	s, err := New(context.Background(), Config{GoogleURL: "http://127.0.0.1:1", DB: ":memory:",
		Cookies: true, TestClock: true})
	require.NoError(f, err)
	f.Cleanup(func() { s.Close() })
	targets := []struct{ method, path string }{
		{http.MethodPost, pathLogin}, {http.MethodPost, pathRefresh},
		{http.MethodGet, pathUser}, {http.MethodPost, pathLogout},
		{http.MethodPost, pathClock}, {http.MethodGet, pathLogin}, {http.MethodGet, "/nope"},
	}
	for i := range targets {
		f.Add(uint8(i), encForm, "Bearer x", []byte("refresh_token=a.b.c&grant_type"))
	}
	f.Add(uint8(0), encJSON, "", []byte(`{"refresh":"e30.e30."}`))
	f.Add(uint8(2), "", "Bearer", []byte{})
	f.Add(uint8(4), encJSON, "", []byte(`{"advance":"1h"}`))
	f.Fuzz(func(t *testing.T, target uint8, contentType, auth string, body []byte) {
		tg := targets[int(target)%len(targets)]
		r := httptest.NewRequest(tg.method, tg.path, bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		r.Header.Set("Authorization", auth)
		r.Header.Set("Cookie", "refresh_token="+auth)
		w := httptest.NewRecorder()

		s.ServeHTTP(w, r)

		require.NotEqual(t, http.StatusInternalServerError, w.Code, "%s", w.Body)
		require.Equal(t, "application/json", w.Header().Get("Content-Type"))
	})
}
