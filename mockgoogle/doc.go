// Package mockgoogle is a fake of Google's OAuth 2.0 and OpenID Connect endpoints for tests.
//
// A [Server] serves Google's paths with Google's field names, JSON types, status codes and
// error bodies: discovery, JWKS, the authorization endpoint, the token endpoint
// (authorization_code and refresh_token grants), userinfo, tokeninfo and revocation. A
// backend configured with the server's base URL instead of Google's behaves as it would
// with Google, so its sign-in path can be tested without a browser or a network.
//
// Tests script the provider through methods or, from other processes, through an HTTP
// control API under /_mock/: [Server.QueueUser] decides who signs in next,
// [Server.MintCode] makes an authorization code without a browser, [Server.FailNext]
// makes the next calls of an endpoint fail, [Server.RotateKey] rotates the signing key,
// [Server.Advance] moves the clock and [Server.Requests] reads what backends sent.
//
// In Go tests, [NewServer] starts a server on 127.0.0.1:0 and closes it when the test
// ends, in the style of net/http/httptest:
//
//	srv := mockgoogle.NewServer(t, mockgoogle.Config{})
//	conf := &oauth2.Config{
//		ClientID:     mockgoogle.DefaultClientID,
//		ClientSecret: mockgoogle.DefaultClientSecret,
//		Endpoint: oauth2.Endpoint{
//			AuthURL:  srv.URL() + "/o/oauth2/v2/auth",
//			TokenURL: srv.URL() + "/token",
//		},
//	}
//
// Everything follows Google's documented behaviour unless a [Quirk] is switched on.
package mockgoogle
