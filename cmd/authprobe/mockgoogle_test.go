package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMockgoogleServesUntilCancelled starts the command on a free port, fetches discovery
// from the URL it prints, and stops it as a signal would.
func TestMockgoogleServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	out, outW := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"mockgoogle", "--addr", "127.0.0.1:0"}, outW, &errOut)
		outW.Close()
		done <- code
	}()

	lines := bufio.NewScanner(out)
	require.True(t, lines.Scan())
	first := lines.Text()
	require.True(t, strings.HasPrefix(first, "mockgoogle listening on http://127.0.0.1:"), first)
	base := strings.TrimPrefix(first, "mockgoogle listening on ")
	go func() { _, _ = io.Copy(io.Discard, out) }()

	resp, err := http.Get(base + "/.well-known/openid-configuration")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	cancel()
	assert.Equal(t, exitOK, <-done)
	assert.Contains(t, errOut.String(), "endpoint=discovery")
}

// TestMockgoogleUsageErrors checks that a bad configuration exits 2 and names the problem.
func TestMockgoogleUsageErrors(t *testing.T) {
	dir := t.TempDir()
	badYAML := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(badYAML, []byte("users:\n  - email: a@example.com\n"), 0o600))

	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "missing file", args: []string{"--config", filepath.Join(dir, "none.yaml")},
			wantErr: "none.yaml"},
		{name: "field missing", args: []string{"--config", badYAML},
			wantErr: "bad.yaml: line 2: users[0].sub: required"},
		{name: "bad address", args: []string{"--addr", "127.0.0.1:notaport"},
			wantErr: "listen"},
		{name: "stray argument", args: []string{"extra"}, wantErr: "unknown command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"mockgoogle"}, tc.args...)

			code := run(t.Context(), args, &out, &errOut)

			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut.String(), tc.wantErr)
		})
	}
}
