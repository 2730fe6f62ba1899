package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
)

// TestRefserverServesUntilCancelled starts the command against a mockgoogle, signs in
// through the URL it prints, and stops it as a signal would.
func TestRefserverServesUntilCancelled(t *testing.T) {
	google := mockgoogle.NewServer(t, mockgoogle.Config{})
	ctx, cancel := context.WithCancel(t.Context())
	out, outW := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	args := []string{"refserver", "--addr", "127.0.0.1:0", "--google", google.URL(),
		"--db", filepath.Join(t.TempDir(), "ref.db"), "--fault", "no-store-missing"}
	go func() {
		code := run(ctx, args, outW, &errOut)
		outW.Close()
		done <- code
	}()

	lines := bufio.NewScanner(out)
	require.True(t, lines.Scan())
	first := lines.Text()
	require.True(t, strings.HasPrefix(first, "refserver listening on http://127.0.0.1:"), first)
	base := strings.TrimPrefix(first, "refserver listening on ")
	go func() { _, _ = io.Copy(io.Discard, out) }()

	code, err := google.MintCode(mockgoogle.CodeRequest{ClientID: mockgoogle.DefaultClientID,
		RedirectURI: "http://localhost:3000/login"})
	require.NoError(t, err)
	resp, err := http.PostForm(base+"/social-login/google/", url.Values{"code": {code}})
	require.NoError(t, err)
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "%v", body)
	assert.NotEmpty(t, body["access_token"])
	assert.Empty(t, resp.Header.Get("Cache-Control"))

	cancel()
	assert.Equal(t, exitOK, <-done)
	assert.Contains(t, errOut.String(), "signed in")
}

// TestRefserverUsageErrors checks that a bad configuration exits 2 and names the problem.
func TestRefserverUsageErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "unknown fault", args: []string{"--fault", "nope"},
			wantErr: "unknown fault \"nope\" (known: code-only, no-rotate"},
		{name: "unknown algorithm", args: []string{"--algorithm", "HS384"},
			wantErr: "unknown algorithm"},
		{name: "unknown error style", args: []string{"--error-style", "xml"},
			wantErr: "unknown error style"},
		{name: "bad address", args: []string{"--addr", "127.0.0.1:notaport"},
			wantErr: "listen"},
		{name: "stray argument", args: []string{"extra"}, wantErr: "unknown command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"refserver", "--db", ":memory:"}, tc.args...)

			code := run(t.Context(), args, &out, &errOut)

			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut.String(), tc.wantErr)
		})
	}
}
