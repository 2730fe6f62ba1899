package refserver_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/refserver"
)

// validKey is an HS256 key of the shortest length New accepts.
var validKey = strings.Repeat("k", 32)

// newConfig returns a Config that New accepts, changed by edit.
func newConfig(edit func(*refserver.Config)) refserver.Config {
	cfg := refserver.Config{GoogleURL: "http://127.0.0.1:1", DB: ":memory:"}
	edit(&cfg)
	return cfg
}

// TestNewRefusesNonsense checks that New refuses each unusable setting with a
// *ConfigError that names the field and says what is wrong, never quoting a key.
func TestNewRefusesNonsense(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*refserver.Config)
		wantField string
		wantMsg   string
	}{
		{name: "negative access lifetime",
			edit:      func(c *refserver.Config) { c.AccessTTL = -5 * time.Minute },
			wantField: "AccessTTL", wantMsg: "-5m0s is negative"},
		{name: "negative refresh lifetime",
			edit:      func(c *refserver.Config) { c.RefreshTTL = -time.Hour },
			wantField: "RefreshTTL", wantMsg: "-1h0m0s is negative"},
		{name: "sub-second access lifetime",
			edit:      func(c *refserver.Config) { c.AccessTTL = time.Millisecond },
			wantField: "AccessTTL", wantMsg: "under a second"},
		{name: "access outlives refresh", edit: func(c *refserver.Config) {
			c.AccessTTL, c.RefreshTTL = time.Hour, time.Minute
		}, wantField: "AccessTTL", wantMsg: "not shorter than the refresh token lifetime 1m0s"},
		{name: "access as long as refresh",
			edit:      func(c *refserver.Config) { c.RefreshTTL = 5 * time.Minute },
			wantField: "AccessTTL", wantMsg: "not shorter"},
		{name: "default access outlives refresh",
			edit:      func(c *refserver.Config) { c.RefreshTTL = time.Minute },
			wantField: "AccessTTL", wantMsg: "5m0s is not shorter"},
		{name: "negative grace",
			edit:      func(c *refserver.Config) { c.ReuseGrace = -time.Second },
			wantField: "ReuseGrace", wantMsg: "negative"},
		{name: "google not a URL", edit: func(c *refserver.Config) { c.GoogleURL = "notaurl" },
			wantField: "GoogleURL", wantMsg: `"notaurl" is not an absolute http or https URL`},
		{name: "google without host",
			edit:      func(c *refserver.Config) { c.GoogleURL = "http:///x" },
			wantField: "GoogleURL", wantMsg: "with a host"},
		{name: "google not http",
			edit:      func(c *refserver.Config) { c.GoogleURL = "ftp://127.0.0.1" },
			wantField: "GoogleURL", wantMsg: "not an absolute http or https URL"},
		{name: "google with query",
			edit:      func(c *refserver.Config) { c.GoogleURL = "http://127.0.0.1:1/?a=b" },
			wantField: "GoogleURL", wantMsg: "query or fragment"},
		{name: "no google", edit: func(c *refserver.Config) { c.GoogleURL = "" },
			wantField: "GoogleURL", wantMsg: "required"},
		{name: "short key", edit: func(c *refserver.Config) { c.SigningKey = "short" },
			wantField: "SigningKey", wantMsg: "5 bytes is too short"},
		{name: "key one byte short",
			edit:      func(c *refserver.Config) { c.SigningKey = validKey[1:] },
			wantField: "SigningKey", wantMsg: "31 bytes is too short"},
		{name: "key with RS256", edit: func(c *refserver.Config) {
			c.Algorithm, c.SigningKey = "RS256", validKey
		}, wantField: "SigningKey", wantMsg: "RS256 signs with a key pair generated at start"},
		{name: "key with EdDSA", edit: func(c *refserver.Config) {
			c.Algorithm, c.SigningKey = "EdDSA", validKey
		}, wantField: "SigningKey", wantMsg: "cannot be given"},
		{name: "key with key confusion", edit: func(c *refserver.Config) {
			c.SigningKey = validKey
			c.Faults = []refserver.Fault{refserver.FaultKeyConfusion}
		}, wantField: "SigningKey", wantMsg: "RS256 signs with a key pair"},
		{name: "unknown algorithm", edit: func(c *refserver.Config) { c.Algorithm = "HS512" },
			wantField: "Algorithm", wantMsg: `unknown algorithm "HS512"`},
		{name: "unknown error style", edit: func(c *refserver.Config) { c.ErrorStyle = "xml" },
			wantField: "ErrorStyle", wantMsg: `unknown error style "xml"`},
		{name: "both key faults", edit: func(c *refserver.Config) {
			c.Faults = []refserver.Fault{refserver.FaultWeakSecret, refserver.FaultKeyConfusion}
		}, wantField: "Faults", wantMsg: "exclude each other"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := refserver.New(t.Context(), newConfig(tc.edit))

			require.ErrorIs(t, err, refserver.ErrInvalidConfig)
			var ce *refserver.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.wantField, ce.Field)
			assert.Contains(t, ce.Problem, tc.wantMsg)
			assert.Contains(t, err.Error(), "refserver: invalid config: "+tc.wantField+": ")
			assert.NotContains(t, err.Error(), validKey)
		})
	}
}

// TestNewAcceptsEdgeSettings checks the settings next to the refused ones: zero means the
// default, the shortest lifetimes and key, and the weak-secret fault's own short key.
func TestNewAcceptsEdgeSettings(t *testing.T) {
	tests := []struct {
		name string
		edit func(*refserver.Config)
	}{
		{name: "zero lifetimes mean the defaults", edit: func(*refserver.Config) {}},
		{name: "shortest lifetimes", edit: func(c *refserver.Config) {
			c.AccessTTL, c.RefreshTTL = time.Second, 2*time.Second
		}},
		{name: "shortest key", edit: func(c *refserver.Config) { c.SigningKey = validKey }},
		{name: "https google with a path",
			edit: func(c *refserver.Config) { c.GoogleURL = "https://127.0.0.1:1/google/" }},
		{name: "weak secret brings its own key", edit: func(c *refserver.Config) {
			c.Faults = []refserver.Fault{refserver.FaultWeakSecret}
		}},
		{name: "weak secret replaces a given key", edit: func(c *refserver.Config) {
			c.SigningKey = "short"
			c.Faults = []refserver.Fault{refserver.FaultWeakSecret}
		}},
		{name: "EdDSA without a key", edit: func(c *refserver.Config) { c.Algorithm = "EdDSA" }},
		{name: "zero grace", edit: func(c *refserver.Config) { c.ReuseGrace = 0 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := refserver.New(t.Context(), newConfig(tc.edit))

			require.NoError(t, err)
			require.NoError(t, srv.Close())
		})
	}
}
