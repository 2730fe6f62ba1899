package mockgoogle_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/mockgoogle"
)

// TestDiscovery checks the document's endpoints and the values Google publishes.
func TestDiscovery(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})

	status, doc := getJSON(t, srv.URL()+"/.well-known/openid-configuration")

	require.Equal(t, 200, status)
	base := srv.URL()
	assert.Equal(t, base, doc["issuer"])
	assert.Equal(t, base+"/o/oauth2/v2/auth", doc["authorization_endpoint"])
	assert.Equal(t, base+"/token", doc["token_endpoint"])
	assert.Equal(t, base+"/v1/userinfo", doc["userinfo_endpoint"])
	assert.Equal(t, base+"/revoke", doc["revocation_endpoint"])
	assert.Equal(t, base+"/oauth2/v3/certs", doc["jwks_uri"])
	assert.Equal(t, []any{"RS256"}, doc["id_token_signing_alg_values_supported"])
	assert.Equal(t, []any{"plain", "S256"}, doc["code_challenge_methods_supported"])
	assert.Equal(t, []any{"client_secret_post", "client_secret_basic"},
		doc["token_endpoint_auth_methods_supported"])
}

// TestIssuerForms checks a configured issuer and the scheme-less issuer quirk.
func TestIssuerForms(t *testing.T) {
	tests := []struct {
		name         string
		cfg          mockgoogle.Config
		wantDocIss   string // "" means the base URL
		wantTokenIss string // "" means the base URL; "-" the base URL without its scheme
	}{
		{name: "default"},
		{name: "configured", cfg: mockgoogle.Config{Issuer: "https://accounts.google.com"},
			wantDocIss: "https://accounts.google.com", wantTokenIss: "https://accounts.google.com"},
		{name: "schemeless quirk",
			cfg:          mockgoogle.Config{Quirks: []mockgoogle.Quirk{"schemeless-issuer"}},
			wantTokenIss: "-"},
		{name: "accounts.google.com",
			cfg: mockgoogle.Config{Issuer: "https://accounts.google.com",
				Quirks: []mockgoogle.Quirk{mockgoogle.QuirkSchemelessIssuer}},
			wantDocIss: "https://accounts.google.com", wantTokenIss: "accounts.google.com"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, tc.cfg)
			want := func(v string) string {
				switch v {
				case "":
					return srv.URL()
				case "-":
					return strings.TrimPrefix(srv.URL(), "http://")
				}
				return v
			}

			_, doc := getJSON(t, srv.URL()+"/.well-known/openid-configuration")
			tok := tokens(t, srv, mockgoogle.CodeRequest{})

			assert.Equal(t, want(tc.wantDocIss), doc["issuer"])
			assert.Equal(t, want(tc.wantTokenIss), idTokenClaims(t, tok["id_token"])["iss"])
		})
	}
}

// TestSchemelessIssuerWithGoOIDC shows what the quirk is for: a verifier that insists on
// the discovery issuer refuses Google's legacy form.
func TestSchemelessIssuerWithGoOIDC(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{Quirks: []mockgoogle.Quirk{"schemeless-issuer"}})
	provider, err := oidc.NewProvider(t.Context(), srv.URL())
	require.NoError(t, err)
	raw := tokens(t, srv, mockgoogle.CodeRequest{})["id_token"].(string)

	strict := provider.Verifier(&oidc.Config{ClientID: mockgoogle.DefaultClientID})
	_, err = strict.Verify(t.Context(), raw)
	assert.ErrorContains(t, err, "issued by a different provider")
}

// idTokenClaims decodes an id_token's claims without verifying it.
func idTokenClaims(t *testing.T, idToken any) map[string]any {
	t.Helper()
	raw, ok := idToken.(string)
	require.True(t, ok, "id_token %v", idToken)
	parts := strings.Split(raw, ".")
	require.Len(t, parts, 3)
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var claims map[string]any
	require.NoError(t, json.Unmarshal(payload, &claims))
	return claims
}
