package load_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// stubEnv makes the test binary serve the stub endpoint instead of running tests, so
// that benchmarks measure the generator's CPU apart from the endpoint's.
const stubEnv = "AUTHPROBE_LOAD_STUB"

// Tokens of the size of refserver's, for the stub and the pool's memory.
var (
	stubAccess  = strings.Repeat("a", 228)
	stubRefresh = strings.Repeat("r", 229)
)

// stubAnswer is the stub's fixed token pair, shaped as refserver's answer is.
var stubAnswer = []byte(`{"access_token":"` + stubAccess + `","refresh_token":"` +
	stubRefresh + `","access":"` + stubAccess + `","refresh":"` + stubRefresh +
	`","expires_in":300}`)

// stubHandler answers every request at once with the fixed pair.
func stubHandler(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(stubAnswer)
}

// serveStub serves the stub on 127.0.0.1:0, prints its URL and serves until its standard
// input closes, which happens when the test process that started it ends.
func serveStub() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "stub:", err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	go func() { _ = http.Serve(ln, http.HandlerFunc(stubHandler)) }()
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// startStub runs the stub endpoint in a child process and returns its URL. The child
// ends with the test.
func startStub(t testing.TB) string {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), stubEnv+"=1")
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	return strings.TrimSpace(line)
}
