package mockgoogle_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
)

// writeFile writes content to a file in a temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// TestLoadConfig checks a complete file.
func TestLoadConfig(t *testing.T) {
	path := writeFile(t, "mock.yaml", `
issuer: https://accounts.google.com
quirks: [schemeless-issuer]
users:
  - sub: "200"
    email: grace@example.com
    name: Grace Hopper
    hd: example.com
  - sub: 201
    email: unverified@example.com
    email_verified: false
clients:
  - client_id: web
    client_secret: web-secret
    redirect_uris: [http://localhost:3000/login]
`)

	cfg, err := mockgoogle.LoadConfig(path)

	require.NoError(t, err)
	assert.Equal(t, "https://accounts.google.com", cfg.Issuer)
	assert.Equal(t, []mockgoogle.Quirk{mockgoogle.QuirkSchemelessIssuer}, cfg.Quirks)
	assert.Equal(t, []mockgoogle.User{
		{Sub: "200", Email: "grace@example.com", EmailVerified: true, Name: "Grace Hopper",
			HD: "example.com"},
		{Sub: "201", Email: "unverified@example.com"},
	}, cfg.Users)
	assert.Equal(t, []mockgoogle.Client{{ID: "web", Secret: "web-secret",
		RedirectURIs: []string{"http://localhost:3000/login"}}}, cfg.Clients)
	_, err = mockgoogle.New(cfg)
	require.NoError(t, err)
}

// TestLoadConfigOlderClientNames checks that clients may still use id and secret, the
// names the first format used, and that either half of the file may be left out.
func TestLoadConfigOlderClientNames(t *testing.T) {
	path := writeFile(t, "mock.yaml", "clients:\n  - id: web\n    secret: web-secret\n")

	cfg, err := mockgoogle.LoadConfig(path)

	require.NoError(t, err)
	assert.Equal(t, []mockgoogle.Client{{ID: "web", Secret: "web-secret"}}, cfg.Clients)
	assert.Empty(t, cfg.Users)
}

// TestLoadConfigExample checks that the commented example in testdata loads as it says.
func TestLoadConfigExample(t *testing.T) {
	cfg, err := mockgoogle.LoadConfig(filepath.Join("testdata", "config.yaml"))

	require.NoError(t, err)
	assert.Equal(t, "https://accounts.google.com", cfg.Issuer)
	assert.Equal(t, []mockgoogle.Quirk{mockgoogle.QuirkSchemelessIssuer}, cfg.Quirks)
	assert.Equal(t, []mockgoogle.User{
		{Sub: "100000000000000000002", Email: "grace@example.com", EmailVerified: true,
			Name: "Grace Hopper", GivenName: "Grace", FamilyName: "Hopper", Locale: "en"},
		{Sub: "100000000000000000003", Email: "linus@corp.example.com",
			HD: "corp.example.com"},
	}, cfg.Users)
	assert.Equal(t, []mockgoogle.Client{
		{ID: "web", Secret: "web-secret", RedirectURIs: []string{"http://localhost:3000/login"}},
		{ID: "cli", Secret: "cli-secret"},
	}, cfg.Clients)
	_, err = mockgoogle.New(cfg)
	require.NoError(t, err)
}

// TestLoadConfigErrors checks that a bad file is refused with the file, line and field,
// in words rather than Go type names.
func TestLoadConfigErrors(t *testing.T) {
	const user = "users:\n  - {sub: \"1\", email: a@x}\n"
	tests := []struct {
		name    string
		content string
		wantErr string // after "mockgoogle: <path>"
	}{
		{name: "empty", content: "",
			wantErr: ": the file is empty: list users, clients or both"},
		{name: "only comments", content: "# nothing yet\n",
			wantErr: ": the file is empty"},
		{name: "no users and no clients", content: "issuer: https://accounts.google.com\n",
			wantErr: ":1: lists no users and no clients"},
		{name: "empty lists", content: "users: []\nclients:\n",
			wantErr: ":1: lists no users and no clients"},
		{name: "unknown user field", content: "users:\n  - sub: \"1\"\n    emial: a@x\n",
			wantErr: ":3: users[0].emial: unknown field (known: sub, email, email_verified, " +
				"name, given_name, family_name, picture, locale, hd)"},
		{name: "unknown client field",
			content: "clients:\n  - client_id: web\n    client_secret: s\n    redirect: x\n",
			wantErr: ":4: clients[0].redirect: unknown field (known: client_id, " +
				"client_secret, redirect_uris)"},
		{name: "unknown top-level field", content: user + "user: {}\n",
			wantErr: ":3: user: unknown field (known: issuer, quirks, users, clients)"},
		{name: "client id given twice",
			content: "clients:\n  - id: web\n    client_id: web\n    secret: s\n",
			wantErr: ":3: clients[0].client_id: given twice, as id and client_id"},
		{name: "field given twice", content: "users:\n  - sub: \"1\"\n    sub: \"2\"\n",
			wantErr: ":3: users[0].sub: given twice"},
		{name: "missing sub", content: "users:\n  - email: a@example.com\n",
			wantErr: ":2: users[0].sub: required"},
		{name: "missing email", content: "users:\n  - sub: \"1\"\n  - sub: \"2\"\n",
			wantErr: ":2: users[0].email: required"},
		{name: "repeated sub",
			content: "users:\n  - {sub: \"1\", email: a@x}\n  - {sub: \"1\", email: b@x}\n",
			wantErr: ":3: users[1].sub: \"1\" repeats"},
		{name: "missing secret", content: "clients:\n  - client_id: web\n",
			wantErr: ":2: clients[0].client_secret: required"},
		{name: "missing secret under its older name", content: "clients:\n  - id: web\n",
			wantErr: ":2: clients[0].client_secret: required"},
		{name: "relative redirect",
			content: "clients:\n  - id: web\n    secret: s\n    redirect_uris: [/login]\n",
			wantErr: ":4: clients[0].redirect_uris[0]: \"/login\" is not an absolute URL"},
		{name: "unknown quirk", content: user + "quirks: [fast]\n",
			wantErr: ":3: quirks[0]: unknown quirk \"fast\""},
		{name: "users not a list", content: "users: yes\n",
			wantErr: ":1: users: want a list"},
		{name: "user not a mapping", content: "users: [ada]\n",
			wantErr: ":1: users[0]: want a mapping of fields (known: sub, "},
		{name: "file not a mapping", content: "- sub: 1\n",
			wantErr: ":1: the file must be a mapping of fields (known: issuer, quirks, "},
		{name: "not a string", content: "users:\n  - sub: [1]\n    email: a@x\n",
			wantErr: ":2: users[0].sub: want a string"},
		{name: "not a bool",
			content: "users:\n  - sub: \"1\"\n    email: a@x\n    email_verified: maybe\n",
			wantErr: ":4: users[0].email_verified: want true or false, not \"maybe\""},
		{name: "alias", content: "users:\n  - &ada {sub: \"1\", email: a@x}\n  - *ada\n",
			wantErr: ":3: users[1]: YAML aliases are not supported"},
		{name: "syntax", content: "users:\n  - sub: \"1\n",
			wantErr: ":2: found unexpected end of stream"},
		{name: "two documents", content: user + "---\n" + user,
			wantErr: ":3: holds more than one YAML document"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "users.yaml", tc.content)

			_, err := mockgoogle.LoadConfig(path)

			require.ErrorIs(t, err, mockgoogle.ErrInvalidConfig)
			assert.Contains(t, err.Error(), "mockgoogle: "+path+tc.wantErr)
			assert.NotContains(t, err.Error(), "mockgoogle.")
		})
	}
}

// TestNewRefusesBadConfig checks New's own validation, which names fields as the control
// API and config files do.
func TestNewRefusesBadConfig(t *testing.T) {
	_, err := mockgoogle.New(mockgoogle.Config{Clients: []mockgoogle.Client{{ID: "x"}}})

	require.ErrorIs(t, err, mockgoogle.ErrInvalidConfig)
	assert.EqualError(t, err, "mockgoogle: clients[0].client_secret: required")
}
