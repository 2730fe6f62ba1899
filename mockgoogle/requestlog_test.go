package mockgoogle_test

import (
	"bytes"
	"log/slog"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/authprobe/authprobe/mockgoogle"
)

// TestRequestLog checks what is recorded: field names, never values, and client auth.
func TestRequestLog(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	challenged := mockgoogle.CodeRequest{
		CodeChallenge:       oauth2.S256ChallengeFromVerifier(pkceVerifier),
		CodeChallengeMethod: "S256",
	}
	withVerifier := exchangeForm(mintCode(t, srv, challenged))
	withVerifier.Set("code_verifier", pkceVerifier)
	withoutSecret := exchangeForm(mintCode(t, srv, mockgoogle.CodeRequest{}))
	withoutSecret.Del("client_secret")
	basic := exchangeForm(mintCode(t, srv, mockgoogle.CodeRequest{}))
	basic.Del("client_id")
	basic.Del("client_secret")

	postForm(t, srv, "/token", withVerifier, "", "")
	postForm(t, srv, "/token", withoutSecret, "", "")
	postForm(t, srv, "/token", basic, mockgoogle.DefaultClientID, mockgoogle.DefaultClientSecret)

	got := srv.Requests()
	require.Len(t, got, 3)
	assert.True(t, got[0].HasField("code_verifier"))
	assert.Equal(t, mockgoogle.ClientAuthPost, got[0].ClientAuth)
	assert.Equal(t, []string{"client_id", "client_secret", "code", "code_verifier",
		"grant_type", "redirect_uri"}, got[0].Fields)
	assert.Equal(t, 200, got[0].Status)
	assert.False(t, got[1].HasField("code_verifier"))
	assert.Equal(t, mockgoogle.ClientAuthNone, got[1].ClientAuth)
	assert.Equal(t, 400, got[1].Status)
	assert.Equal(t, mockgoogle.ClientAuthBasic, got[2].ClientAuth)
	assert.Equal(t, "/token", got[2].Path)

	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
}

// syncBuffer is a bytes.Buffer safe for the server's concurrent log writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestLogsHoldNoSecrets checks that even debug logs show tokens only as fingerprints.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := newServer(t, mockgoogle.Config{Logger: logger})
	code := mintCode(t, srv, mockgoogle.CodeRequest{AccessType: "offline"})

	_, tok := postForm(t, srv, "/token", exchangeForm(code), "", "")
	_, _, _ = userinfo(t, srv, "/v1/userinfo", tok["access_token"].(string))
	postForm(t, srv, "/token", url.Values{"grant_type": {"refresh_token"},
		"refresh_token": {tok["refresh_token"].(string)}},
		mockgoogle.DefaultClientID, mockgoogle.DefaultClientSecret)
	postForm(t, srv, "/revoke", url.Values{"token": {tok["access_token"].(string)}}, "", "")

	out := logs.String()
	assert.Contains(t, out, "token_fp=")
	for _, secret := range []string{code, tok["access_token"].(string),
		tok["refresh_token"].(string), tok["id_token"].(string), mockgoogle.DefaultClientSecret} {
		assert.NotContains(t, out, secret)
	}
}
