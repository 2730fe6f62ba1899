package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/authprobe/authprobe/mockgoogle"
)

// TestMockgoogleAddrInUse starts check's or load's mockgoogle on a taken address: the
// error suggests --google-url when a mockgoogle runs there, another address otherwise.
func TestMockgoogleAddrInUse(t *testing.T) {
	t.Parallel()
	google := mockgoogle.NewServer(t, mockgoogle.Config{})
	other := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(other.Close)
	addr := func(url string) string { return strings.TrimPrefix(url, "http://") }

	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "check, mockgoogle there", args: []string{"check", "--target",
			"http://127.0.0.1:1", "--mockgoogle", addr(google.URL())},
			want: "a mockgoogle already runs there: use it with --google-url " + google.URL()},
		{name: "load, mockgoogle there", args: loadArgs("--target", "http://127.0.0.1:1",
			"--mockgoogle", addr(google.URL())),
			want: "a mockgoogle already runs there: use it with --google-url " + google.URL()},
		{name: "check, something else there", args: []string{"check", "--mockgoogle",
			addr(other.URL)}, want: "address already in use; give another address with " +
			"--mockgoogle (127.0.0.1:0 picks a free port)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runArgs(t, tc.args...)

			assert.Equal(t, exitUsage, code, out+errOut)
			assert.Contains(t, errOut, tc.want)
		})
	}
}
