package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/authprobe/authprobe/mockgoogle"
)

// mockgoogleDefaultAddr is where mockgoogle listens for an external target when neither
// --mockgoogle nor --google-url is given, as `authprobe mockgoogle` does.
const mockgoogleDefaultAddr = "127.0.0.1:9090"

// startMockgoogle starts a mockgoogle on addr; cmd ("check" or "load") prefixes errors.
// When addr is taken, the error says what to do instead (see inUseHint).
func startMockgoogle(cmd, addr string) (*mockgoogle.Server, error) {
	mg, err := mockgoogle.New(mockgoogle.Config{})
	if err != nil {
		return nil, fmt.Errorf("%s: mockgoogle: %w", cmd, err)
	}
	if err := mg.Start(addr); err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("%s: start mockgoogle on %s: %w; %s", cmd, addr, err,
				inUseHint(addr))
		}
		return nil, fmt.Errorf("%s: start mockgoogle on %s: %w", cmd, addr, err)
	}
	return mg, nil
}

// inUseHint says what to do when addr is taken: use the mockgoogle already there, or
// start one elsewhere.
func inUseHint(addr string) string {
	if url, ok := runningMockgoogle(addr); ok {
		return "a mockgoogle already runs there: use it with --google-url " + url
	}
	return "give another address with --mockgoogle (127.0.0.1:0 picks a free port), or " +
		"--google-url for a mockgoogle that already runs"
}

// probeTimeout bounds the request that asks whether a mockgoogle runs on a taken address.
const probeTimeout = time.Second

// runningMockgoogle reports whether a mockgoogle answers at addr, and its base URL. It
// asks only on this machine: an unspecified host is asked on 127.0.0.1, and a host that
// is not loopback is not asked at all.
func runningMockgoogle(addr string) (string, bool) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", false
	}
	ip := net.ParseIP(host)
	switch {
	case host == "" || ip != nil && ip.IsUnspecified():
		host = "127.0.0.1"
	case host != "localhost" && (ip == nil || !ip.IsLoopback()):
		return "", false
	}
	base := "http://" + net.JoinHostPort(host, port)

	client := &http.Client{
		Timeout: probeTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	// Only mockgoogle serves its request log at this path, as JSON, to loopback peers.
	resp, err := client.Get(base + "/_mock/requests")
	if err != nil {
		return "", false
	}
	resp.Body.Close()
	isJSON := strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json")
	return base, resp.StatusCode == http.StatusOK && isJSON
}
