package mockgoogle_test

import (
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/authprobe/authprobe/mockgoogle"
)

// TestCodeFlow runs Google's web-server flow with x/oauth2 and go-oidc as the backend
// would: PKCE, offline access, id_token verified against the JWKS, userinfo, refresh.
func TestCodeFlow(t *testing.T) {
	tests := []struct {
		name  string
		style oauth2.AuthStyle
	}{
		{name: "client_secret_post", style: oauth2.AuthStyleInParams},
		{name: "client_secret_basic", style: oauth2.AuthStyleInHeader},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, mockgoogle.Config{})
			ctx := t.Context()
			provider, err := oidc.NewProvider(ctx, srv.URL())
			require.NoError(t, err)
			verifier := provider.Verifier(&oidc.Config{ClientID: mockgoogle.DefaultClientID})
			conf := oauthConfig(srv, tc.style)

			pkce := oauth2.GenerateVerifier()
			back := authorize(t, conf.AuthCodeURL("st4te", oauth2.AccessTypeOffline,
				oauth2.S256ChallengeOption(pkce), oidc.Nonce("n0nce")))
			require.Equal(t, "st4te", back.Get("state"))

			tok, err := conf.Exchange(ctx, back.Get("code"), oauth2.VerifierOption(pkce))
			require.NoError(t, err)
			assert.Equal(t, "Bearer", tok.TokenType)
			assert.NotEmpty(t, tok.RefreshToken)
			assert.InDelta(t, 3599, tok.ExpiresIn, 0)

			raw, _ := tok.Extra("id_token").(string)
			idt, err := verifier.Verify(ctx, raw)
			require.NoError(t, err)
			assert.Equal(t, "n0nce", idt.Nonce)
			assert.Equal(t, mockgoogle.DefaultUser().Sub, idt.Subject)
			require.NoError(t, idt.VerifyAccessToken(tok.AccessToken))
			var claims struct {
				Email         string `json:"email"`
				EmailVerified bool   `json:"email_verified"`
				AZP           string `json:"azp"`
			}
			require.NoError(t, idt.Claims(&claims))
			assert.Equal(t, "ada@example.com", claims.Email)
			assert.True(t, claims.EmailVerified)
			assert.Equal(t, mockgoogle.DefaultClientID, claims.AZP)

			info, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
			require.NoError(t, err)
			assert.Equal(t, "ada@example.com", info.Email)

			// Refresh: a new access token, and Google does not rotate the refresh token.
			old := *tok
			tok.Expiry = srv.Now().Add(-1)
			fresh, err := conf.TokenSource(ctx, tok).Token()
			require.NoError(t, err)
			assert.NotEqual(t, old.AccessToken, fresh.AccessToken)
			assert.Equal(t, old.RefreshToken, fresh.RefreshToken)
			raw, _ = fresh.Extra("id_token").(string)
			_, err = verifier.Verify(ctx, raw)
			require.NoError(t, err)
		})
	}
}
