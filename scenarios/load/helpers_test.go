package load_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
	"github.com/authprobe/authprobe/refserver"
	"github.com/authprobe/authprobe/scenarios"
)

// sharedGoogle is the package's one mockgoogle: making its RSA key is slow under -race.
// Tests only sign in with it, so they share it safely.
var sharedGoogle *mockgoogle.Server

func TestMain(m *testing.M) {
	if os.Getenv(stubEnv) != "" {
		serveStub()
		return
	}
	g, err := mockgoogle.New(mockgoogle.Config{})
	if err == nil {
		err = g.Start("127.0.0.1:0")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "start mockgoogle:", err)
		os.Exit(1)
	}
	sharedGoogle = g
	code := m.Run()
	g.Close()
	os.Exit(code)
}

// target is a refserver signing in with the shared mockgoogle, and the profile that
// describes it.
type target struct {
	srv     *refserver.Server
	profile *scenarios.Profile
}

// newTarget starts a refserver with the named faults (and cfg's other settings) and
// returns it with its nuxt-drf profile.
func newTarget(t testing.TB, cfg refserver.Config, faults ...string) *target {
	t.Helper()
	for _, name := range faults {
		f, err := refserver.ParseFault(name)
		require.NoError(t, err)
		cfg.Faults = append(cfg.Faults, f)
	}
	cfg.GoogleURL = sharedGoogle.URL()
	srv := refserver.NewServer(t, cfg)
	p, ok := scenarios.BuiltinProfile("nuxt-drf")
	require.True(t, ok)
	p.BaseURL = srv.URL()
	return &target{srv: srv, profile: p}
}
