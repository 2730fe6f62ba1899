// Package refserver is the reference backend authprobe checks itself against: Google
// sign-in followed by the backend's own JWT access and refresh tokens, done right, with
// switchable real-world faults.
//
// A Server answers what a Nuxt Auth frontend and a Django REST Framework + SimpleJWT
// backend exchange: POST /social-login/google/ trades a Google authorization code (or a
// refresh token) for a pair of SimpleJWT-compatible tokens, POST /auth/token/refresh/
// rotates in SimpleJWT's own shape, GET /auth/user/ names the user, POST /auth/logout/
// revokes the session; POST /graphql offers the same as the socialAuth, refreshToken and
// revokeToken mutations and the me query. Refresh tokens are spent exactly once whatever
// the concurrency; presenting a spent one revokes its family, unless it arrives within the
// optional grace window, in which case it gets the same successor pair. State lives in
// SQLite (WAL), so a restart loses no user, token or revocation.
//
// Each [Fault] switches on one bug that real backends of this kind ship, so that every
// authprobe check can be shown to catch it. docs/internals.md lists the HTTP contract and
// which check catches which fault.
//
// In tests, [NewServer] starts a server on 127.0.0.1:0 with an in-memory database and
// closes it when the test ends, in the manner of net/http/httptest.
package refserver
