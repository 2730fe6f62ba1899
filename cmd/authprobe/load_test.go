package main

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
	"github.com/authprobe/authprobe/scenarios/load"
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
	dir := t.TempDir()
	missing := filepath.Join(dir, "none", "run.html")
	findingsDir := filepath.Join(dir, "taken.bin")
	require.NoError(t, os.Mkdir(load.TallyFile(findingsDir), 0o755))
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
		{name: "output in a missing directory", args: loadArgs("--output", missing),
			wantErr: "load: --output " + missing + ": directory " + filepath.Dir(missing) +
				" does not exist"},
		{name: "output a directory", args: loadArgs("--output", dir),
			wantErr: "load: --output " + dir + ": is a directory"},
		{name: "findings file a directory", args: loadArgs("--output", findingsDir),
			wantErr: "load: --output's findings file " + findingsDir + ".findings.json: " +
				"is a directory"},
		{name: "plot in a missing directory", args: loadArgs("--plot", missing),
			wantErr: "load: --plot " + missing + ": directory"},
		{name: "report plot in a missing directory", args: []string{"load", "report",
			"none.bin", "--plot", missing}, wantErr: "load: --plot " + missing + ": directory"},
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

// TestLoadKeepsOutputOfFailedRun runs a load that fails to sign in: the results file
// --output names already is left as it was.
func TestLoadKeepsOutputOfFailedRun(t *testing.T) {
	t.Parallel()
	google := mockgoogle.NewServer(t, mockgoogle.Config{})
	results := writeTemp(t, "run.bin", "results of an earlier run")

	code, out, errOut := runArgs(t, loadArgs("--target", "http://127.0.0.1:1",
		"--google-url", google.URL(), "--timeout", "2s", "--output", results)...)

	assert.Equal(t, exitFailed, code, out+errOut)
	data, err := os.ReadFile(results)
	require.NoError(t, err)
	assert.Equal(t, "results of an earlier run", string(data))
	assertNoTempFiles(t, filepath.Dir(results))
}

// TestLoadReportDespiteFileError finishes a run whose --output and --plot directory
// went away during the attack: the report is printed, and the failure is exit 1.
func TestLoadReportDespiteFileError(t *testing.T) {
	t.Parallel()
	results := writeResults(t)
	gone := filepath.Join(t.TempDir(), "gone")
	require.NoError(t, os.Mkdir(gone, 0o755))
	o := loadOutput{format: "text", output: filepath.Join(gone, "run.bin"),
		plot: filepath.Join(gone, "run.html")}
	sink, err := newResultSink(o, "test")
	require.NoError(t, err)
	report, err := load.Merge([]string{results}, sink.observe)
	require.NoError(t, err)
	require.NoError(t, os.RemoveAll(gone))
	var out bytes.Buffer

	err = o.finish(report, nil, &out, sink.close(report.Tally))

	assert.Equal(t, exitFailed, exitCode(err))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "load: write --output "+o.output)
	assert.Contains(t, err.Error(), "load: write --plot "+o.plot)
	assert.Contains(t, out.String(), "status codes  200:1")
}

// writeResults writes a results file of one answered request, and its tally.
func writeResults(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run.bin")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, vegeta.NewEncoder(f).Encode(&vegeta.Result{
		Attack: "test", Code: 200, Method: "POST", URL: "http://127.0.0.1:1/refresh",
		Timestamp: time.Unix(1700000000, 0), Latency: time.Millisecond,
	}))
	require.NoError(t, f.Close())
	require.NoError(t, load.WriteTally(path, load.Tally{}))
	return path
}
