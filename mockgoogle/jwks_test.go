package mockgoogle_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/authprobe/authprobe/mockgoogle"
)

// fetchJWKS returns the key set and its Cache-Control header.
func fetchJWKS(t *testing.T, srv *mockgoogle.Server) (jose.JSONWebKeySet, string) {
	t.Helper()
	resp, err := http.Get(srv.URL() + "/oauth2/v3/certs")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var set jose.JSONWebKeySet
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&set))
	return set, resp.Header.Get("Cache-Control")
}

// kids returns the key IDs of a set.
func kids(set jose.JSONWebKeySet) []string {
	var out []string
	for _, k := range set.Keys {
		out = append(out, k.KeyID)
	}
	return out
}

// TestJWKS checks the published keys, their fields and caching, across rotations.
func TestJWKS(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})

	set, cacheControl := fetchJWKS(t, srv)
	require.Len(t, set.Keys, 1)
	key := set.Keys[0]
	assert.Equal(t, "RS256", key.Algorithm)
	assert.Equal(t, "sig", key.Use)
	assert.Len(t, key.KeyID, 40)
	assert.True(t, key.IsPublic())
	assert.Regexp(t, `^public, max-age=\d+`, cacheControl)
	first := key.KeyID

	second := srv.RotateKey()
	set, _ = fetchJWKS(t, srv)
	assert.Equal(t, []string{second, first}, kids(set), "old and new overlap")

	third := srv.RotateKey()
	set, _ = fetchJWKS(t, srv)
	assert.Equal(t, []string{third, second}, kids(set), "the oldest key is retired")
}

// TestKeyRotationPickedUp checks that go-oidc, having cached the old key set, verifies a
// token signed with a rotated key by fetching the set again.
func TestKeyRotationPickedUp(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	ctx := t.Context()
	provider, err := oidc.NewProvider(ctx, srv.URL())
	require.NoError(t, err)
	verifier := provider.Verifier(&oidc.Config{ClientID: mockgoogle.DefaultClientID})
	conf := oauthConfig(srv, oauth2.AuthStyleInParams)
	idToken := func() string {
		tok, err := conf.Exchange(ctx, mintCode(t, srv, mockgoogle.CodeRequest{}))
		require.NoError(t, err)
		raw, _ := tok.Extra("id_token").(string)
		return raw
	}
	before := idToken()
	_, err = verifier.Verify(ctx, before)
	require.NoError(t, err)

	srv.RotateKey()
	after := idToken()

	_, err = verifier.Verify(ctx, after)
	require.NoError(t, err, "new key fetched on unknown kid")
	_, err = verifier.Verify(ctx, before)
	require.NoError(t, err, "old key still published")
	jwksCalls := 0
	for _, r := range srv.Requests() {
		if r.Endpoint == mockgoogle.EndpointJWKS {
			jwksCalls++
		}
	}
	assert.Equal(t, 2, jwksCalls)
}
