package refserver_test

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/authprobe/authprobe/refserver"
)

// syncBuffer is a bytes.Buffer safe for the server's concurrent writes.
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

func TestLogsCarryRequestIDsNotTokens(t *testing.T) {
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, refserver.Config{Logger: logger})
	code := e.mintCode(t)

	resp := e.postForm(t, "/social-login/google/", exchangeBody(code))
	first := tokens{access: resp.str(t, "access_token"), refresh: resp.str(t, "refresh_token")}
	next := e.mustRefresh(t, first.refresh)
	e.refresh(t, first.refresh) // reuse
	e.getUser(t, next.access)

	out := logs.String()
	assert.Contains(t, out, "request_id=")
	assert.Contains(t, out, "token_fp=")
	assert.Contains(t, out, `msg="refresh token reused"`)
	for _, secret := range []string{code, first.access, first.refresh, next.access,
		next.refresh} {
		assert.NotContains(t, out, secret)
	}
}
