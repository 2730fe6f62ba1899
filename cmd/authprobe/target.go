package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"

	"github.com/authprobe/authprobe/refserver"
	"github.com/authprobe/authprobe/scenarios"
)

// checkTarget is what check and load run against: the profile, the mockgoogle the
// target signs in with, and the servers the command started, to close afterwards.
type checkTarget struct {
	profile   *scenarios.Profile
	googleURL string
	closers   []func() error
}

func (t *checkTarget) close(errOut io.Writer) {
	for i := len(t.closers) - 1; i >= 0; i-- {
		if err := t.closers[i](); err != nil {
			fmt.Fprintln(errOut, "authprobe:", err)
		}
	}
}

// isBuiltinProfile reports whether name is a built-in profile rather than a file. Without
// --target, a built-in profile checks or loads the built-in refserver, and a file its
// base_url.
func isBuiltinProfile(name string) bool {
	_, ok := scenarios.BuiltinProfile(name)
	return ok
}

// builtinSetup is how to start the built-in refserver.
type builtinSetup struct {
	cmd            string           // "check" or "load", for messages
	cfg            refserver.Config // all but GoogleURL
	profile        string           // the built-in profile that speaks to it
	googleURL      string           // the mockgoogle to use; empty starts one
	mockgoogleAddr string           // where to start it; empty picks a free loopback port
}

// startBuiltin starts mockgoogle (unless s.googleURL names one) and refserver on a free
// loopback port, and returns s.profile pointed at refserver (see fitRefserver).
func startBuiltin(ctx context.Context, s builtinSetup, errOut io.Writer) (*checkTarget,
	error) {
	tgt := &checkTarget{googleURL: s.googleURL}
	if tgt.googleURL == "" {
		mg, err := startMockgoogle(s.cmd, cmp.Or(s.mockgoogleAddr, "127.0.0.1:0"))
		if err != nil {
			return nil, err
		}
		tgt.googleURL = mg.URL()
		tgt.closers = append(tgt.closers, mg.Close)
	}

	s.cfg.GoogleURL = tgt.googleURL
	rs, err := refserver.New(ctx, s.cfg)
	if err == nil {
		if err = rs.Start("127.0.0.1:0"); err != nil {
			err = errors.Join(err, rs.Close())
		}
	}
	if err != nil {
		tgt.close(errOut)
		return nil, fmt.Errorf("%s: start refserver: %w", s.cmd, err)
	}
	tgt.closers = append(tgt.closers, rs.Close)

	p, ok := scenarios.BuiltinProfile(s.profile)
	if !ok {
		tgt.close(errOut)
		return nil, fmt.Errorf("%s: no built-in profile %q", s.cmd, s.profile)
	}
	p.BaseURL = rs.URL()
	fitRefserver(p, errOut)
	tgt.profile = p
	return tgt, nil
}

// refserverRefresh is refserver's refresh endpoint shaped as SimpleJWT's TokenRefreshView.
var refserverRefresh = scenarios.Endpoint{
	Path: "/auth/token/refresh/", Encoding: scenarios.EncodingJSON, Field: "refresh",
}

// refserverRefreshPaths are the REST paths where refserver refreshes: the Nuxt Auth
// oauth2 login endpoint with grant_type refresh_token, and refserverRefresh.
var refserverRefreshPaths = []string{"/social-login/google/", refserverRefresh.Path}

// fitRefserver points a built-in profile's refresh at refserver's SimpleJWT-shaped
// endpoint when refserver serves none at its path (the simplejwt profile's
// /api/token/refresh/), and says so on errOut.
func fitRefserver(p *scenarios.Profile, errOut io.Writer) {
	if p.Transport == scenarios.TransportGraphQL ||
		slices.Contains(refserverRefreshPaths, p.Refresh.Path) {
		return
	}
	fmt.Fprintf(errOut, "authprobe: the built-in refserver serves no %s; the %s profile "+
		"refreshes at its SimpleJWT-shaped %s instead\n", p.Refresh.Path, p.Name,
		refserverRefresh.Path)
	p.Refresh = refserverRefresh
}

// restLoginFaults are refserver's faults that bend only its REST login endpoint
// (docs/internals.md, GraphQL): over GraphQL they change nothing.
var restLoginFaults = []refserver.Fault{
	refserver.FaultCodeOnly, refserver.FaultJSONOnly, refserver.FaultSimpleJWTKeys,
}

// checkGraphQLFaults refuses, for the graphql profile, a fault that would change nothing
// it speaks to, so that nothing could fail; cmd ("check" or "load") prefixes the error.
func checkGraphQLFaults(cmd, profile string, faults []string) error {
	if profile != "graphql" {
		return nil
	}
	for _, name := range faults {
		if slices.Contains(restLoginFaults, refserver.Fault(name)) {
			return fmt.Errorf("%s: --fault %s bends only refserver's REST login endpoint, "+
				"and --profile graphql signs in through /graphql, where it changes nothing: "+
				"nothing could fail; drop --profile graphql to see it caught", cmd, name)
		}
	}
	return nil
}

// checkURLFlag refuses a flag's value that is not an absolute http or https URL with a
// host, and accepts an empty one (the flag is not given); cmd ("check" or "load")
// prefixes the error.
func checkURLFlag(cmd, flag, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s: %s %q: want an absolute http or https URL with a host, such "+
			"as http://127.0.0.1:8000", cmd, flag, raw)
	}
	return nil
}

// checkLoopback refuses, for load, a URL off this machine unless --allow-remote, and
// accepts an empty one; what names where the URL comes from, such as "--target".
func checkLoopback(what, raw string, allowRemote bool) error {
	if raw == "" || allowRemote || isLoopbackURL(raw) {
		return nil
	}
	return fmt.Errorf("load: %s %s is not a loopback address; aim load only at servers "+
		"you own, and pass --allow-remote for one on another host", what, raw)
}

// isLoopbackURL reports whether a URL's host is this machine: localhost or a loopback IP.
func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	if u.Hostname() == "localhost" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

// externalTarget pairs the profile of a running target with the mockgoogle it signs in
// with: googleURL when given, else one started on mockgoogleAddr (default 9090), which the
// target must have been configured to use.
func externalTarget(cmd string, p *scenarios.Profile, googleURL, mockgoogleAddr string,
	errOut io.Writer) (*checkTarget, error) {
	tgt := &checkTarget{profile: p, googleURL: googleURL}
	if tgt.googleURL != "" {
		return tgt, nil
	}
	mg, err := startMockgoogle(cmd, cmp.Or(mockgoogleAddr, mockgoogleDefaultAddr))
	if err != nil {
		return nil, err
	}
	tgt.googleURL = mg.URL()
	tgt.closers = append(tgt.closers, mg.Close)
	fmt.Fprintf(errOut, "authprobe: mockgoogle listening on %s; the target must use it as "+
		"its Google\n", mg.URL())
	return tgt, nil
}
