package scenarios

import (
	"testing"
)

// BenchmarkClientRefresh measures one refresh against a backend that answers at once,
// which is the client's own cost: what the load mode pays per request.
func BenchmarkClientRefresh(b *testing.B) {
	c, _, _ := newWireClient(b, nuxtDRFProfile())
	c = c.WithRecorder(nil)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Refresh(ctx, "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClientSignIn measures a whole sign-in against refserver and mockgoogle:
// authorization, code exchange, and refserver's exchange with Google behind it.
func BenchmarkClientSignIn(b *testing.B) {
	tgt := newTarget(b)
	c := NewClient(tgt.Profile, ClientConfig{GoogleURL: tgt.Google.URL()})
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.SignIn(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
