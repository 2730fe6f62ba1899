package load

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/scenarios"
)

// wire records the last request that arrived, byte for byte.
type wire struct {
	mu     sync.Mutex
	path   string
	body   []byte
	header http.Header
}

func (w *wire) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.mu.Lock()
	w.path, w.body, w.header = r.URL.Path, body, r.Header.Clone()
	w.mu.Unlock()
	rw.WriteHeader(http.StatusUnauthorized)
}

func (w *wire) last() (string, []byte, http.Header) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.path, w.body, w.header
}

// TestShapeMatchesClient holds the load mode's refresh requests to what
// scenarios.Client.Refresh puts on the wire, for every built-in profile, with a JWT and
// with a token that needs escaping.
func TestShapeMatchesClient(t *testing.T) {
	w := &wire{}
	srv := httptest.NewServer(w)
	t.Cleanup(srv.Close)
	tokens := map[string]string{
		"jwt":     "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.c2ln",
		"escaped": "opaque+/token= with \"quotes\"",
	}

	for _, name := range scenarios.BuiltinProfiles() {
		for kind, token := range tokens {
			t.Run(name+"/"+kind, func(t *testing.T) {
				p := builtin(t, name)
				p.BaseURL = srv.URL
				_, err := scenarios.NewClient(p, scenarios.ClientConfig{}).
					Refresh(t.Context(), token)
				require.NoError(t, err)
				wantPath, wantBody, wantHeader := w.last()

				s, err := newShape(p)
				require.NoError(t, err)
				body, header, err := s.request(token, 0)
				require.NoError(t, err)
				req, err := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(body))
				require.NoError(t, err)
				req.Header = header
				resp, err := srv.Client().Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				gotPath, gotBody, gotHeader := w.last()

				assert.Equal(t, wantPath, gotPath)
				assert.Equal(t, string(wantBody), string(gotBody))
				assert.Equal(t, wantHeader, gotHeader)
			})
		}
	}
}
