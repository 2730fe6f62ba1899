package scenarios

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRefreshRequestIsWhatRefreshSends compares the request RefreshRequest builds with
// the one Refresh puts on the wire, for every built-in profile.
func TestRefreshRequestIsWhatRefreshSends(t *testing.T) {
	profiles := []*Profile{nuxtDRFProfile(), simpleJWTProfile(), cookiesProfile(),
		graphqlProfile()}
	for _, p := range profiles {
		t.Run(p.Name, func(t *testing.T) {
			c, wr, _ := newWireClient(t, p)
			const token = "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJyMSJ9.c2ln"

			req, err := c.RefreshRequest(token)
			require.NoError(t, err)
			_, err = c.Refresh(t.Context(), token)
			require.NoError(t, err)

			sent := wr.last(t)
			assert.Equal(t, sent.method, req.Method)
			assert.Equal(t, p.BaseURL+sent.path, req.URL.String())
			body, err := io.ReadAll(req.Body)
			require.NoError(t, err)
			assert.Equal(t, sent.body, string(body))
			assert.Contains(t, sent.body+sent.header.Get("Cookie"), token)
			again, err := req.GetBody()
			require.NoError(t, err)
			body, err = io.ReadAll(again)
			require.NoError(t, err)
			assert.Equal(t, sent.body, string(body), "GetBody gives the body again")
			assert.Equal(t, int64(len(sent.body)), req.ContentLength)
			for name := range req.Header {
				assert.Equal(t, sent.header.Values(name), req.Header.Values(name), name)
			}
			for _, name := range []string{"Accept", "Content-Type", "Cookie", "Authorization"} {
				assert.Equal(t, sent.header.Values(name), req.Header.Values(name), name)
			}
		})
	}
}

// TestReadRefreshIsWhatRefreshReturns hands ReadRefresh the answers Refresh got, and
// checks that it reads each into the same Response, with the status and tokens the
// answer means.
func TestReadRefreshIsWhatRefreshReturns(t *testing.T) {
	tokens := `{"access_token":"a-2","refresh_token":"r-2","access":"a-2","refresh":"r-2"}`
	rotated := Tokens{Access: "a-2", Refresh: "r-2"}
	tests := []struct {
		name    string
		profile *Profile
		status  int
		header  http.Header
		body    string
		want    int    // the status the Response gives
		tokens  Tokens // the tokens it gives
	}{
		{"rotated", nuxtDRFProfile(), 200, nil, tokens, 200, rotated},
		{"refused", nuxtDRFProfile(), 401, nil,
			`{"detail":"Token is blacklisted","code":"token_not_valid"}`, 401, Tokens{}},
		{"not JSON", nuxtDRFProfile(), 502, http.Header{"Content-Type": {"text/html"}},
			"<html>Bad Gateway</html>", 502, Tokens{}},
		{"cookies", cookiesProfile(), 200, http.Header{"Set-Cookie": {
			"access_token=a-2; Path=/; HttpOnly",
			"refresh_token=r-2; Path=/auth/token/refresh/; HttpOnly"}}, `{}`, 200, rotated},
		{"graphql rotated", graphqlProfile(), 200, nil,
			`{"data":{"refreshToken":{"accessToken":"a-2","refreshToken":"r-2"}}}`, 200,
			rotated},
		{"graphql refused", graphqlProfile(), 200, nil, `{"data":{"refreshToken":null},` +
			`"errors":[{"message":"Token is blacklisted","path":["refreshToken"],` +
			`"extensions":{"code":"TOKEN_NOT_VALID"}}]}`, 401, Tokens{}},
		{"graphql refused before execution", graphqlProfile(), 400, nil,
			`{"errors":[{"message":"JSON parse error.","extensions":{"code":"BAD_REQUEST"}}]}`,
			400, Tokens{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
				_ *http.Request) {
				for k, v := range tc.header {
					w.Header()[k] = v
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			t.Cleanup(srv.Close)
			tc.profile.BaseURL = srv.URL
			c := NewClient(tc.profile, ClientConfig{})

			want, err := c.Refresh(t.Context(), "r-1")
			require.NoError(t, err)
			got := c.ReadRefresh(tc.status, want.Header, want.Body)

			assert.Equal(t, want, got)
			assert.Equal(t, tc.want, got.Status)
			assert.Equal(t, tc.tokens, got.Tokens)
		})
	}
}
