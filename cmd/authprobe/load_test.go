package main

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
)

// shortLoad are the flags of a short, small closed-model run.
var shortLoad = []string{"load", "--sessions", "4", "--rate", "0", "--workers", "2",
	"--duration", "300ms"}

func loadArgs(extra ...string) []string {
	return append(slices.Clone(shortLoad), extra...)
}

func TestLoadBuiltinWritesEverything(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	results, plot := filepath.Join(dir, "run.bin"), filepath.Join(dir, "run.html")

	code, out, errOut := runArgs(t, loadArgs("--format", "json", "--output", results,
		"--plot", plot, "--threshold", "findings==0", "--threshold", "success>=99%")...)

	require.Equal(t, exitOK, code, out+errOut)
	var report map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &report))
	assert.Equal(t, []string{"duration_s", "findings", "latency_ms", "requests",
		"status_codes", "success_ratio", "throughput"}, slices.Sorted(maps.Keys(report)))
	assert.Positive(t, report["requests"])
	assert.Contains(t, errOut, "loading the built-in refserver")
	assert.Contains(t, errOut, "signing in [##############################] 4/4")
	for _, f := range []string{results, results + ".findings.json", plot} {
		info, err := os.Stat(f)
		require.NoError(t, err)
		assert.Positive(t, info.Size(), f)
	}

	code, out, errOut = runArgs(t, "load", "report", results, "--threshold", "findings==0")

	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "merged        1 results files: "+results)
	assert.Contains(t, out, "findings      0:")
}

// TestLoadBuiltinProfiles loads the built-in refserver, spoken to as each built-in
// profile describes, when there is no --target.
func TestLoadBuiltinProfiles(t *testing.T) {
	t.Parallel()
	for _, profile := range []string{"simplejwt", "cookies", "graphql"} {
		t.Run(profile, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runArgs(t, loadArgs("--profile", profile, "--fault",
				"no-rotate", "--threshold", "findings==0")...)

			require.Equal(t, exitOK, code, out+errOut)
			assert.Contains(t, out, "(profile "+profile+")")
			assert.Contains(t, out, "status codes  200:")
			assert.Contains(t, errOut, "loading the built-in refserver")
		})
	}
}

func TestLoadThresholds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		wantOut string
		wantErr string
	}{
		{name: "broken", args: loadArgs("--threshold", "requests<1"),
			wantErr: "1 threshold(s) broken: requests<1: requests is"},
		{name: "reuse accepted", args: loadArgs("--fault", "no-blacklist", "--reuse-ratio",
			"0.5", "--threshold", "findings==0"),
			wantOut: "reuse accepted", wantErr: "findings==0: findings is"},
		{name: "forks", args: loadArgs("--fault", "racy-rotation", "--race-ratio", "0.5",
			"--threshold", "forks==0"), wantErr: "forks==0: forks is"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runArgs(t, tc.args...)

			assert.Equal(t, exitFailed, code, out+errOut)
			assert.Contains(t, out, tc.wantOut)
			assert.Contains(t, errOut, tc.wantErr)
		})
	}
}

func TestLoadUsageErrors(t *testing.T) {
	t.Parallel()
	remoteProfile := writeTemp(t, "remote.yaml", "base_url: http://192.0.2.1:8000\n")
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "bad threshold", args: loadArgs("--threshold", "p99<fast"),
			wantErr: "not a duration"},
		{name: "bad rate", args: loadArgs("--rate", "lots"), wantErr: "rate \"lots\""},
		{name: "fault with target", args: loadArgs("--target", "http://127.0.0.1:1",
			"--fault", "no-rotate"), wantErr: "--fault and --db set up the built-in"},
		{name: "unknown fault", args: loadArgs("--fault", "slow"), wantErr: "--fault"},
		{name: "rest fault over graphql", args: loadArgs("--profile", "graphql", "--fault",
			"code-only"), wantErr: "--fault code-only bends only refserver's REST login"},
		{name: "two googles", args: loadArgs("--mockgoogle", "127.0.0.1:0", "--google-url",
			"http://127.0.0.1:1"), wantErr: "not both"},
		{name: "remote target", args: loadArgs("--target", "http://192.0.2.1:8000",
			"--mockgoogle", "127.0.0.1:0"),
			wantErr: "load: --target http://192.0.2.1:8000 is not a loopback address"},
		{name: "remote base_url", args: loadArgs("--profile", remoteProfile,
			"--mockgoogle", "127.0.0.1:0"), wantErr: "load: the base_url of " +
			remoteProfile + " http://192.0.2.1:8000 is not a loopback address"},
		{name: "remote google", args: loadArgs("--target", "http://127.0.0.1:1",
			"--google-url", "http://192.0.2.1:9090"), wantErr: "load: --google-url " +
			"http://192.0.2.1:9090 is not a loopback address"},
		{name: "target not a URL", args: loadArgs("--target", "notaurl", "--mockgoogle",
			"127.0.0.1:0"), wantErr: `load: --target "notaurl": want an absolute`},
		{name: "unbounded", args: loadArgs("--duration", "0s"),
			wantErr: "every run is bounded"},
		{name: "ramp past the end", args: loadArgs("--rate", "50/s", "--ramp", "5s",
			"--duration", "1s"), wantErr: "load: --ramp 5s is longer than --duration 1s"},
		{name: "negative ramp", args: loadArgs("--rate", "50/s", "--ramp", "-1s"),
			wantErr: "load: --ramp must not be negative"},
		{name: "unwritable output", args: loadArgs("--output",
			filepath.Join(t.TempDir(), "none", "run.bin")), wantErr: "no such file"},
		{name: "bad format", args: loadArgs("--format", "xml"), wantErr: "text, json"},
		{name: "report without files", args: []string{"load", "report"},
			wantErr: "requires at least 1 arg"},
		{name: "report of nothing", args: []string{"load", "report", "none.bin"},
			wantErr: "none.bin"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runArgs(t, tc.args...)

			assert.Equal(t, exitUsage, code, out+errOut)
			assert.Contains(t, errOut, tc.wantErr)
			assert.NotContains(t, errOut, "listening", "refused before starting anything")
		})
	}
}

// TestLoadExternalTarget loads a refserver started apart, signing in at a mockgoogle
// that is already running.
func TestLoadExternalTarget(t *testing.T) {
	t.Parallel()
	google := mockgoogle.NewServer(t, mockgoogle.Config{})
	srv := refserver.NewServer(t, refserver.Config{GoogleURL: google.URL()})

	code, out, errOut := runArgs(t, loadArgs("--target", srv.URL(), "--profile",
		"nuxt-drf", "--google-url", google.URL(), "--threshold", "findings==0")...)

	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "target        "+srv.URL()+" (profile nuxt-drf)")
	assert.Contains(t, out, "status codes  200:")
}

func TestLoadTargetDown(t *testing.T) {
	t.Parallel()
	google := mockgoogle.NewServer(t, mockgoogle.Config{})

	code, out, errOut := runArgs(t, loadArgs("--target", "http://127.0.0.1:1",
		"--google-url", google.URL(), "--timeout", "2s")...)

	assert.Equal(t, exitFailed, code, out+errOut)
	assert.Contains(t, errOut, "sign-ins failed")
}
