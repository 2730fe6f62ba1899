package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
)

// runArgs runs one command line and returns its exit code and outputs.
func runArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(t.Context(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	return path
}

func TestCheckBuiltinPasses(t *testing.T) {
	t.Parallel()
	code, out, errOut := runArgs(t, "check")

	assert.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "PASS   exchange/code-accepted")
	assert.Contains(t, out, "OK: every must-check passed")
	assert.Contains(t, errOut, "checking the built-in refserver")
}

func TestCheckFaultFails(t *testing.T) {
	t.Parallel()
	code, out, errOut := runArgs(t, "check", "--fault", "no-rotate", "--suite", "rotation")

	assert.Equal(t, exitFailed, code, out)
	assert.Contains(t, out, "FAIL   rotation/new-refresh-token")
	assert.Contains(t, out, "the refresh answered the same refresh token again")
	assert.NotContains(t, out, "exchange/", "--suite selects")
	assert.Contains(t, errOut, "must-check(s) did not pass")
}

func TestCheckUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "none", "report.txt")
	badProfile := writeTemp(t, "backend.yaml",
		"name: mine\nbase_url: http://127.0.0.1:8000\nexpect:\n  access_ttl: five minutes\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad profile", []string{"--profile", badProfile, "--google-url", "http://127.0.0.1:1"},
			"backend.yaml:4: expect.access_ttl: \"five minutes\" is not a duration"},
		{"unknown profile", []string{"--profile", "nuxt"}, "neither a file nor a built-in"},
		{"unknown fault", []string{"--fault", "slow"}, "--fault"},
		{"fault with target", []string{"--target", "http://127.0.0.1:1", "--fault",
			"no-rotate"}, "cannot be used with --target"},
		{"two googles", []string{"--mockgoogle", "127.0.0.1:0", "--google-url",
			"http://127.0.0.1:1"}, "not both"},
		{"rest fault over graphql", []string{"--profile", "graphql", "--fault", "no-rotate",
			"--fault", "json-only"}, "--fault json-only bends only refserver's REST login"},
		{"target not a URL", []string{"--target", "notaurl", "--mockgoogle", "127.0.0.1:0"},
			`check: --target "notaurl": want an absolute http or https URL with a host`},
		{"target without host", []string{"--target", "http:///api", "--mockgoogle",
			"127.0.0.1:0"}, `--target "http:///api": want an absolute`},
		{"google-url not a URL", []string{"--target", "http://127.0.0.1:1", "--google-url",
			"127.0.0.1:9090"}, `--google-url "127.0.0.1:9090": want an absolute`},
		{"out in a missing directory", []string{"--out", missing},
			"check: --out " + missing + ": directory " + filepath.Dir(missing) +
				" does not exist"},
		{"out a directory", []string{"--out", dir}, "check: --out " + dir + ": is a directory"},
		{"har in a missing directory", []string{"--har", missing},
			"check: --har " + missing + ": directory"},
		{"unknown suite", []string{"--suite", "speed"}, `unknown suite "speed"`},
		{"bad regexp", []string{"--run", "("}, "--run"},
		{"no match", []string{"--run", "^nothing$"}, "no check matches"},
		{"bad format", []string{"--format", "xml"}, "want one of text, json, junit"},
		{"bad expectation", []string{"--expect", "rotation=sometimes"}, "--expect"},
		{"unknown flag", []string{"--colour"}, "unknown flag"},
		{"argument", []string{"http://127.0.0.1:8000"}, "unknown command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runArgs(t, append([]string{"check"}, tc.args...)...)

			assert.Equal(t, exitUsage, code, out+errOut)
			assert.Contains(t, errOut, tc.want)
			assert.NotContains(t, errOut, "listening", "refused before starting anything")
		})
	}
}

func TestCheckList(t *testing.T) {
	t.Parallel()
	code, out, _ := runArgs(t, "check", "--list", "--suite", "reuse")

	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "reuse/family-revoked   should  replaying a rotated-out token "+
		"revokes its successors")
	assert.Equal(t, 3, strings.Count(out, "\n"))
}

func TestCheckListRefusesBadProfile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(path, []byte("name: x\nuser: {metod: GET}\n"), 0o600))

	code, out, errOut := runArgs(t, "check", "--list", "--profile", path)

	assert.Equal(t, exitUsage, code, out+errOut)
	assert.Contains(t, errOut, "bad.yaml:2: user.metod: unknown field")
	assert.Empty(t, out)
}

func TestCheckTargetDown(t *testing.T) {
	t.Parallel()
	google := mockgoogle.NewServer(t, mockgoogle.Config{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	down := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())

	code, out, _ := runArgs(t, "check", "--target", down, "--google-url", google.URL(),
		"--timeout", "1s")

	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "ERROR  exchange/code-accepted")
	assert.Contains(t, out, "does not answer")
	assert.Contains(t, out, "connection refused")
	assert.NotContains(t, out, "PASS")
}

// TestCheckExternalTarget checks a refserver running on its own with the mockgoogle
// that check starts, the way a user checks their backend.
func TestCheckExternalTarget(t *testing.T) {
	t.Parallel()
	google := mockgoogle.NewServer(t, mockgoogle.Config{})
	ref := refserver.NewServer(t, refserver.Config{GoogleURL: google.URL(), TestClock: true})
	profile := writeTemp(t, "ref.yaml", "name: ref\n"+
		"logout: {path: /auth/logout/, encoding: json, field: refresh}\n"+
		"clock_url: "+ref.URL()+"/_refserver/clock\n")

	code, out, errOut := runArgs(t, "check", "--target", ref.URL(), "--profile", profile,
		"--google-url", google.URL(), "--suite", "rotation,reuse,expiry")

	assert.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "(profile ref)")
	assert.Contains(t, out, "PASS   reuse/logout-revokes")
}

// TestCheckSimpleJWTBuiltin checks the built-in refserver with the simplejwt profile when
// no --target is given, its refresh pointed at refserver's SimpleJWT-shaped endpoint.
func TestCheckSimpleJWTBuiltin(t *testing.T) {
	t.Parallel()
	code, out, errOut := runArgs(t, "check", "--profile", "simplejwt")

	assert.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "(profile simplejwt)")
	assert.Contains(t, out, "PASS   rotation/new-refresh-token")
	assert.NotContains(t, out, "ERROR")
	assert.Contains(t, errOut, "checking the built-in refserver")
	assert.Contains(t, errOut, "serves no /api/token/refresh/; the simplejwt profile "+
		"refreshes at its SimpleJWT-shaped /auth/token/refresh/ instead")
}

// TestCheckProfileFileBaseURL checks the backend a profile file's base_url names when
// there is no --target.
func TestCheckProfileFileBaseURL(t *testing.T) {
	t.Parallel()
	google := mockgoogle.NewServer(t, mockgoogle.Config{})
	ref := refserver.NewServer(t, refserver.Config{GoogleURL: google.URL()})
	profile := writeTemp(t, "ref.yaml", "name: ref\nbase_url: "+ref.URL()+"\n")

	code, out, errOut := runArgs(t, "check", "--profile", profile, "--google-url",
		google.URL(), "--suite", "rotation")

	assert.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, ref.URL()+" (profile ref)")
	assert.Contains(t, errOut, "checking "+ref.URL()+", the base_url of "+profile)
}

func TestCheckFormats(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	jsonOut := filepath.Join(dir, "report.json")
	junitOut := filepath.Join(dir, "report.xml")
	harOut := filepath.Join(dir, "run.har")

	code, _, errOut := runArgs(t, "check", "--suite", "session", "--format", "json",
		"--out", jsonOut, "--har", harOut)
	require.Equal(t, exitOK, code, errOut)
	code, _, errOut = runArgs(t, "check", "--suite", "session", "--format", "junit",
		"--out", junitOut)
	require.Equal(t, exitOK, code, errOut)

	var report struct {
		Target  string           `json:"target"`
		Results []map[string]any `json:"results"`
		Summary map[string]int   `json:"summary"`
	}
	data, err := os.ReadFile(jsonOut)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &report))
	assert.Len(t, report.Results, 3)
	assert.Equal(t, 3, report.Summary["pass"])

	var junit struct {
		Tests int `xml:"tests,attr"`
	}
	data, err = os.ReadFile(junitOut)
	require.NoError(t, err)
	require.NoError(t, xml.Unmarshal(data, &junit))
	assert.Equal(t, 3, junit.Tests)

	har, err := os.ReadFile(harOut)
	require.NoError(t, err)
	assert.Contains(t, string(har), `"comment": "session/user-with-token"`)
	assert.NotContains(t, string(har), "eyJ", "tokens are fingerprints in the HAR")
}

func TestCheckExpectedFailures(t *testing.T) {
	t.Parallel()
	expected := writeTemp(t, "expected.yaml",
		"- id: expiry/access-lifetime\n  reason: our access tokens live a day on purpose\n")

	code, out, errOut := runArgs(t, "check", "--fault", "long-access", "--run",
		"^expiry/access", "--expected-failures", expected)

	assert.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "(expected: our access tokens live a day on purpose)")
	assert.True(t, strings.Contains(out, "FAIL   expiry/access-lifetime"), out)
}
