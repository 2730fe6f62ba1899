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
  - sub: "201"
    email: unverified@example.com
    email_verified: false
clients:
  - id: web
    secret: web-secret
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

// TestLoadConfigErrors checks that a bad file is refused with the file, line and field.
func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		wantErr string
	}{
		{name: "missing sub", content: "users:\n  - email: a@example.com\n",
			wantErr: "bad.yaml: line 2: users[0].sub: required"},
		{name: "missing email", content: "users:\n  - sub: \"1\"\n  - sub: \"2\"\n",
			wantErr: "line 2: users[0].email: required"},
		{name: "repeated sub",
			content: "users:\n  - {sub: \"1\", email: a@x}\n  - {sub: \"1\", email: b@x}\n",
			wantErr: "line 3: users[1].sub: \"1\" repeats"},
		{name: "missing secret", content: "clients:\n  - id: web\n",
			wantErr: "line 2: clients[0].secret: required"},
		{name: "relative redirect",
			content: "clients:\n  - id: web\n    secret: s\n    redirect_uris: [/login]\n",
			wantErr: "line 4: clients[0].redirect_uris[0]: \"/login\" is not an absolute URL"},
		{name: "unknown quirk", content: "quirks: [fast]\n",
			wantErr: "line 1: quirks[0]: unknown quirk \"fast\""},
		{name: "unknown field", content: "users:\n  - sub: \"1\"\n    emial: a@x\n",
			wantErr: "line 3: field emial not found"},
		{name: "wrong type", content: "users: yes\n", wantErr: "line 1: cannot unmarshal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "bad.yaml", tc.content)

			_, err := mockgoogle.LoadConfig(path)

			require.ErrorIs(t, err, mockgoogle.ErrInvalidConfig)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.Contains(t, err.Error(), path)
		})
	}
}

// TestNewRefusesBadConfig checks New's own validation.
func TestNewRefusesBadConfig(t *testing.T) {
	_, err := mockgoogle.New(mockgoogle.Config{Clients: []mockgoogle.Client{{ID: "x"}}})

	require.ErrorIs(t, err, mockgoogle.ErrInvalidConfig)
	assert.EqualError(t, err, "mockgoogle: clients[0].secret: required")
}
