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
	"time"

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

// shortKey is a signing key too short for HS256, which errors must not quote.
const shortKey = "k3y5x"

// TestRefserverUsageErrors checks that a bad configuration exits 2 and names the flag and
// the problem.
func TestRefserverUsageErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "unknown fault", args: []string{"--fault", "nope"},
			wantErr: "unknown fault \"nope\" (known: code-only, no-rotate"},
		{name: "unknown algorithm", args: []string{"--algorithm", "HS384"},
			wantErr: "refserver: --algorithm: unknown algorithm"},
		{name: "unknown error style", args: []string{"--error-style", "xml"},
			wantErr: "refserver: --error-style: unknown error style"},
		{name: "negative access lifetime", args: []string{"--access-ttl", "-5m"},
			wantErr: "refserver: --access-ttl -5m0s: want a lifetime of at least 1s"},
		{name: "zero access lifetime", args: []string{"--access-ttl", "0s"},
			wantErr: "refserver: --access-ttl 0s: want a lifetime of at least 1s"},
		{name: "negative refresh lifetime", args: []string{"--refresh-ttl", "-1h"},
			wantErr: "refserver: --refresh-ttl -1h0m0s: want a lifetime of at least 1s"},
		{name: "sub-second access lifetime", args: []string{"--access-ttl", "500ms"},
			wantErr: "refserver: --access-ttl: 500ms is under a second"},
		{name: "access outlives refresh",
			args:    []string{"--access-ttl", "2h", "--refresh-ttl", "1h"},
			wantErr: "refserver: --access-ttl: access token lifetime 2h0m0s is not shorter"},
		{name: "negative grace", args: []string{"--reuse-grace", "-1s"},
			wantErr: "refserver: --reuse-grace: -1s is negative"},
		{name: "google not a URL", args: []string{"--google", "notaurl"},
			wantErr: "refserver: --google: \"notaurl\" is not an absolute http or https URL"},
		{name: "short signing key", args: []string{"--signing-key", shortKey},
			wantErr: "refserver: --signing-key: 5 bytes is too short: an HS256 key needs at " +
				"least 32"},
		{name: "signing key with RS256",
			args: []string{"--signing-key", strings.Repeat("k", 32), "--algorithm", "RS256"},
			wantErr: "refserver: --signing-key: RS256 signs with a key pair generated at " +
				"start"},
		{name: "bad address", args: []string{"--addr", "127.0.0.1:notaport"},
			wantErr: "listen"},
		{name: "stray argument", args: []string{"extra"}, wantErr: "unknown command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"refserver", "--db", ":memory:"}, tc.args...)

			// A setting wrongly accepted serves until ctx ends and exits 0.
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()

			code := run(ctx, args, &out, &errOut)

			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut.String(), tc.wantErr)
			assert.NotContains(t, errOut.String(), shortKey)
		})
	}
}
