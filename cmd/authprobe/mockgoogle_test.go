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
	"time"

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
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		return path
	}
	badYAML := write("bad.yaml", "users:\n  - email: a@example.com\n")
	typo := write("typo.yaml", "users:\n  - sub: \"1\"\n    emial: a@example.com\n")
	empty := write("empty.yaml", "")
	noOne := write("none.yaml", "issuer: https://accounts.google.com\n")

	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "missing file", args: []string{"--config", filepath.Join(dir, "gone.yaml")},
			wantErr: "authprobe: mockgoogle: read config: open " + dir + "/gone.yaml"},
		{name: "field missing", args: []string{"--config", badYAML},
			wantErr: "authprobe: mockgoogle: " + badYAML + ":2: users[0].sub: required"},
		{name: "unknown field", args: []string{"--config", typo},
			wantErr: "authprobe: mockgoogle: " + typo + ":3: users[0].emial: unknown field " +
				"(known: sub, email, email_verified, name,"},
		{name: "empty file", args: []string{"--config", empty},
			wantErr: "authprobe: mockgoogle: " + empty + ": the file is empty"},
		{name: "no users and no clients", args: []string{"--config", noOne},
			wantErr: "authprobe: mockgoogle: " + noOne + ":1: lists no users and no clients"},
		{name: "bad address", args: []string{"--addr", "127.0.0.1:notaport"},
			wantErr: "listen"},
		{name: "stray argument", args: []string{"extra"}, wantErr: "unknown command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"mockgoogle"}, tc.args...)

			// A file wrongly accepted serves until ctx ends and exits 0.
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()

			code := run(ctx, args, &out, &errOut)

			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut.String(), tc.wantErr)
			assert.LessOrEqual(t, strings.Count(errOut.String(), "mockgoogle:"), 1, errOut.String())
		})
	}
}
