package mockgoogle_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/authprobe/authprobe/mockgoogle"
)

// TestIDTokenFaults checks that each id_token fault yields a token go-oidc refuses, and
// that the next exchange is healthy again.
func TestIDTokenFaults(t *testing.T) {
	tests := []struct {
		kind      mockgoogle.FaultKind
		wantError string // part of go-oidc's error
	}{
		{kind: mockgoogle.FaultWrongAud, wantError: "expected audience"},
		{kind: mockgoogle.FaultWrongIss, wantError: "issued by a different provider"},
		{kind: mockgoogle.FaultExpired, wantError: "token is expired"},
		{kind: mockgoogle.FaultBadSignature, wantError: "failed to verify signature"},
		{kind: mockgoogle.FaultAlgNone, wantError: "malformed jwt"},
	}
	for _, tc := range tests {
		t.Run(string(tc.kind), func(t *testing.T) {
			srv := newServer(t, mockgoogle.Config{})
			ctx := t.Context()
			provider, err := oidc.NewProvider(ctx, srv.URL())
			require.NoError(t, err)
			verifier := provider.Verifier(&oidc.Config{ClientID: mockgoogle.DefaultClientID})
			conf := oauthConfig(srv, oauth2.AuthStyleInHeader)
			exchange := func() string {
				tok, err := conf.Exchange(ctx, mintCode(t, srv, mockgoogle.CodeRequest{}))
				require.NoError(t, err)
				raw, _ := tok.Extra("id_token").(string)
				return raw
			}

			srv.FailNext(mockgoogle.Fault{Endpoint: mockgoogle.EndpointToken, Kind: tc.kind})
			_, err = verifier.Verify(ctx, exchange())
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantError)

			_, err = verifier.Verify(ctx, exchange())
			assert.NoError(t, err, "the fault applies once")
		})
	}
}

// TestAlgNoneHeader checks that the alg-none token is really unsigned.
func TestAlgNoneHeader(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	srv.FailNext(mockgoogle.Fault{Endpoint: "token", Kind: "alg-none"})

	_, body := postForm(t, srv, "/token",
		exchangeForm(mintCode(t, srv, mockgoogle.CodeRequest{})), "", "")

	parts := strings.Split(body["id_token"].(string), ".")
	require.Len(t, parts, 3)
	assert.Empty(t, parts[2])
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"alg":"none","typ":"JWT"}`, string(header))
}

// TestStatusFaults checks faults that answer instead of an endpoint.
func TestStatusFaults(t *testing.T) {
	tests := []struct {
		name     string
		fault    mockgoogle.Fault
		path     string
		wantCode int
		wantBody string
	}{
		{name: "token 503 default body",
			fault: mockgoogle.Fault{Endpoint: "token", Status: 503}, path: "/token",
			wantCode: 503,
			wantBody: `{"error":"server_error","error_description":"Service Unavailable"}`},
		{name: "userinfo custom body",
			fault: mockgoogle.Fault{Endpoint: "userinfo", Status: 429,
				Body: `{"error":"rate_limited"}`},
			path: "/v1/userinfo", wantCode: 429, wantBody: `{"error":"rate_limited"}`},
		{name: "jwks malformed",
			fault: mockgoogle.Fault{Endpoint: "jwks", Kind: "malformed-json"},
			path:  "/oauth2/v3/certs", wantCode: 200},
		{name: "discovery 500",
			fault: mockgoogle.Fault{Endpoint: "discovery", Status: 500},
			path:  "/.well-known/openid-configuration", wantCode: 500,
			wantBody: `{"error":"server_error","error_description":"Internal Server Error"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, mockgoogle.Config{})
			srv.FailNext(tc.fault)

			method := http.MethodGet
			if tc.fault.Endpoint == mockgoogle.EndpointToken {
				method = http.MethodPost
			}
			req, err := http.NewRequest(method, srv.URL()+tc.path, nil)
			require.NoError(t, err)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)

			assert.Equal(t, tc.wantCode, resp.StatusCode)
			if tc.fault.Kind == mockgoogle.FaultMalformedJSON {
				assert.False(t, json.Valid(body), "body %s", body)
				return
			}
			assert.JSONEq(t, tc.wantBody, string(body))
		})
	}
}

// TestMalformedTokenAnswer checks that x/oauth2 fails on a malformed token answer.
func TestMalformedTokenAnswer(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	srv.FailNext(mockgoogle.Fault{Endpoint: "token", Kind: "malformed-json"})

	_, err := oauthConfig(srv, oauth2.AuthStyleInParams).
		Exchange(t.Context(), mintCode(t, srv, mockgoogle.CodeRequest{}))

	require.Error(t, err)
}

// TestFaultCountAndCode checks Count, the restriction to one code, and ClearFaults.
func TestFaultCountAndCode(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	exchange := func(code string) int {
		status, _ := postForm(t, srv, "/token", exchangeForm(code), "", "")
		return status
	}
	mint := func() string { return mintCode(t, srv, mockgoogle.CodeRequest{}) }

	srv.FailNext(mockgoogle.Fault{Endpoint: "token", Status: 502, Count: 2})
	assert.Equal(t, 502, exchange(mint()))
	assert.Equal(t, 502, exchange(mint()))
	assert.Equal(t, 200, exchange(mint()))

	target := mint()
	srv.FailNext(mockgoogle.Fault{Endpoint: "token", Status: 500, Code: target})
	assert.Equal(t, 200, exchange(mint()), "another code is not affected")
	assert.Equal(t, 500, exchange(target))
	assert.Equal(t, 200, exchange(target), "a replaced answer does not spend the code")

	srv.FailNext(mockgoogle.Fault{Endpoint: "token", Status: 500, Count: 5})
	srv.ClearFaults()
	assert.Equal(t, 200, exchange(mint()))
}

// TestFaultLatency checks that a latency fault delays a normal answer.
func TestFaultLatency(t *testing.T) {
	srv := newServer(t, mockgoogle.Config{})
	const latency = 50 * time.Millisecond
	srv.FailNext(mockgoogle.Fault{Endpoint: "jwks", Latency: latency})

	start := time.Now()
	status, body := getJSON(t, srv.URL()+"/oauth2/v3/certs")

	assert.GreaterOrEqual(t, time.Since(start), latency)
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "keys")
}

// TestInvalidFaultPanics checks that FailNext refuses faults that cannot work.
func TestInvalidFaultPanics(t *testing.T) {
	tests := []struct {
		name  string
		fault mockgoogle.Fault
	}{
		{name: "unknown endpoint", fault: mockgoogle.Fault{Endpoint: "nope", Status: 500}},
		{name: "unknown kind", fault: mockgoogle.Fault{Endpoint: "token", Kind: "nope"}},
		{name: "id_token kind elsewhere",
			fault: mockgoogle.Fault{Endpoint: "userinfo", Kind: "wrong-aud"}},
		{name: "nothing to do", fault: mockgoogle.Fault{Endpoint: "token"}},
		{name: "code elsewhere",
			fault: mockgoogle.Fault{Endpoint: "jwks", Status: 500, Code: "c"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, mockgoogle.Config{})
			assert.Panics(t, func() { srv.FailNext(tc.fault) })
		})
	}
}
