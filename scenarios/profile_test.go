package scenarios

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const fullProfile = `name: my-backend
base_url: http://127.0.0.1:8000
style: rfc6749
login:   {path: /social-login/google/, encoding: form}
refresh: {path: /api/token/refresh/, encoding: json, field: refresh}
user:    {path: /auth/user/}
logout:  {path: /auth/logout/, encoding: json, field: refresh}
tokens:  {access: access, refresh: refresh}
google:  {client_id: c, client_secret: s, redirect_uri: http://localhost:3000/login, pkce: true}
expect:  {access_ttl: 15m, refresh_ttl: 24h, rotation: true, reuse_refused: false,
          cookies: false, pkce: true, reuse_grace: 5s}
signing_key: k
clock_url: http://127.0.0.1:8000/_refserver/clock
`

func TestParseProfile(t *testing.T) {
	p, err := ParseProfile("full.yaml", []byte(fullProfile))
	require.NoError(t, err)

	assert.Equal(t, "my-backend", p.Name)
	assert.Equal(t, StyleRFC6749, p.Style)
	assert.Equal(t, Endpoint{Path: "/api/token/refresh/", Encoding: "json", Field: "refresh"},
		p.Refresh)
	assert.Equal(t, "code", p.Login.Field, "fields left out keep their defaults")
	require.NotNil(t, p.Logout)
	assert.Equal(t, Duration(15*time.Minute), p.Expect.AccessTTL)
	assert.Equal(t, Duration(5*time.Second), p.Expect.ReuseGrace)
	assert.False(t, p.Expect.ReuseRefused)
	assert.True(t, p.Google.PKCE)
	assert.Equal(t, "k", p.SigningKey)
}

func TestParseProfileDefaults(t *testing.T) {
	p, err := ParseProfile("dir/minimal.yaml", []byte("base_url: http://127.0.0.1:9000\n"))
	require.NoError(t, err)

	assert.Equal(t, "minimal", p.Name, "the name defaults to the file's")
	assert.Equal(t, "/social-login/google/", p.Refresh.Path)
	assert.True(t, p.Expect.Rotation)
	assert.Nil(t, p.Logout, "no logout endpoint unless one is given")
}

func TestParseProfileErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"unknown field", "name: x\nexpect: {access_ttl: 5m, rotate: true}\n",
			"bad.yaml:2: expect.rotate: unknown field"},
		{"bad duration", "name: x\nexpect:\n  access_ttl: 5x\n",
			`bad.yaml:3: expect.access_ttl: "5x" is not a duration`},
		{"bad bool", "expect:\n  rotation: maybe\n",
			`bad.yaml:2: expect.rotation: want true or false, not "maybe"`},
		{"bad style", "name: x\nstyle: django\n", `bad.yaml:2: style: "django" is not drf`},
		{"bad encoding", "login: {path: /l/, encoding: xml}\n",
			`bad.yaml:1: login.encoding: "xml" is not form or json`},
		{"relative path", "user:\n  path: auth/user/\n", "bad.yaml:2: user.path: want a path"},
		{"bad base url", "base_url: localhost:8000\n", "bad.yaml:1: base_url: want an absolute"},
		{"duplicate", "name: a\nname: b\n", "bad.yaml:2: name: field given twice"},
		{"not a mapping", "- a\n- b\n", "bad.yaml:1: the profile must be a mapping"},
		{"section not a mapping", "login: /x/\n", "bad.yaml:1: login: login must be a mapping"},
		{"empty", "", "bad.yaml: the file is empty"},
		{"zero ttl", "expect: {access_ttl: 0s}\n", "bad.yaml:1: expect.access_ttl: must be"},
		{"missing field", "logout: {path: /out/, field: \"\"}\n",
			"bad.yaml:1: logout.field: names the field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseProfile("bad.yaml", []byte(tc.yaml))

			var cerr *ConfigError
			require.ErrorAs(t, err, &cerr)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseProfileSyntaxErrors(t *testing.T) {
	const head = "name: x\nbase_url: http://127.0.0.1:8000\nstyle: drf\n"
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"template in a block mapping", head + "login: {{BASE}}/auth/\n",
			"bad.yaml:4: did not find expected key"},
		{"stray list item", head + "- login\n", "bad.yaml:4: did not find expected key"},
		{"unclosed flow sequence", head + "login:\n  path: [x\n  field: y\n",
			"bad.yaml:5: did not find expected ',' or ']'"},
		{"unclosed flow sequence at the end", "name: [x\n",
			"bad.yaml:1: did not find expected ',' or ']'"},
		{"undefined tag handle", head + "login: !e!x y\n",
			"bad.yaml:4: found undefined tag handle"},
		{"scanner error", head + "style: drf: y\n",
			"bad.yaml:4: mapping values are not allowed in this context"},
		{"scanner error on the first line", "name: x: y\n",
			"bad.yaml:1: mapping values are not allowed in this context"},
		{"unclosed quote", head + "login: \"x\n", "bad.yaml:4: found unexpected end of stream"},
		{"crlf", "name: x\r\nstyle: drf\r\nlogin: {{BASE}}/auth/\r\n",
			"bad.yaml:3: did not find expected key"},
		{"no position", "name: *x\n", "bad.yaml: unknown anchor 'x' referenced"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseProfile("bad.yaml", []byte(tc.yaml))

			var cerr *ConfigError
			require.ErrorAs(t, err, &cerr)
			assert.EqualError(t, err, "scenarios: "+tc.want)
		})
	}
}

func TestLoadProfile(t *testing.T) {
	for _, name := range BuiltinProfiles() {
		t.Run(name, func(t *testing.T) {
			p, err := LoadProfile(name)
			require.NoError(t, err)
			assert.Equal(t, name, p.Name)
			require.NoError(t, p.Validate())
		})
	}

	t.Run("file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "p.yaml")
		require.NoError(t, os.WriteFile(path, []byte(fullProfile), 0o600))
		p, err := LoadProfile(path)
		require.NoError(t, err)
		assert.Equal(t, "my-backend", p.Name)
	})

	t.Run("neither", func(t *testing.T) {
		_, err := LoadProfile("nuxt-django")
		var cerr *ConfigError
		require.ErrorAs(t, err, &cerr)
		assert.Contains(t, err.Error(), "neither a file nor a built-in profile")
	})
}

func TestSetExpect(t *testing.T) {
	p := nuxtDRFProfile()

	require.NoError(t, p.SetExpect("access_ttl=15m"))
	require.NoError(t, p.SetExpect("rotation=false"))
	assert.Equal(t, Duration(15*time.Minute), p.Expect.AccessTTL)
	assert.False(t, p.Expect.Rotation)

	assert.ErrorContains(t, p.SetExpect("rotate=false"), "unknown expectation")
	assert.ErrorContains(t, p.SetExpect("access_ttl"), "not KEY=VALUE")
	assert.ErrorContains(t, p.SetExpect("access_ttl=soon"), "expectation access_ttl")
	assert.ErrorContains(t, p.SetExpect("cookies=maybe"), "not true or false")
}
