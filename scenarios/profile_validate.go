package scenarios

import (
	"fmt"
	"net/url"
	"strings"
)

// Validate reports the first problem that makes p unusable, as a *[ConfigError]. Run
// calls it before any request; call it after changing a profile by hand.
func (p *Profile) Validate() error {
	return p.validate("", nil)
}

// validate checks p; file and lines (field path to line, from the decoder) place errors
// in the profile file when p came from one. Without them, errors are placed where
// ParseProfile read p from, if it did.
func (p *Profile) validate(file string, lines map[string]int) error {
	loc := p.locator(file, lines)
	fail := func(field, format string, args ...any) error {
		return loc.errorf(field, 0, format, args...)
	}

	if p.Name == "" {
		return fail("name", "is required")
	}
	if err := checkURL(p.BaseURL); err != nil {
		return fail("base_url", "%v", err)
	}
	if p.Style != StyleDRF && p.Style != StyleRFC6749 {
		return fail("style", "%q is not %s or %s", p.Style, StyleDRF, StyleRFC6749)
	}
	endpoints := []struct {
		name      string
		e         *Endpoint
		needField bool
	}{
		{"login", &p.Login, false},
		{"refresh", &p.Refresh, true},
		{"user", &p.User, false},
		{"logout", p.Logout, true},
	}
	for _, ep := range endpoints {
		if ep.e == nil || p.Transport == TransportGraphQL {
			continue
		}
		if !strings.HasPrefix(ep.e.Path, "/") {
			return fail(ep.name+".path", "want a path starting with /, not %q", ep.e.Path)
		}
		if ep.e.Encoding != "" && ep.e.Encoding != EncodingForm && ep.e.Encoding != EncodingJSON {
			return fail(ep.name+".encoding", "%q is not %s or %s",
				ep.e.Encoding, EncodingForm, EncodingJSON)
		}
		if ep.needField && ep.e.Field == "" {
			return fail(ep.name+".field", "names the field that carries the refresh token; "+
				"it is required")
		}
	}
	if p.Tokens.Access == "" && p.Transport != TransportGraphQL {
		return fail("tokens.access", "is required")
	}
	if p.Tokens.Refresh == "" && p.Transport != TransportGraphQL {
		return fail("tokens.refresh", "is required")
	}
	if p.Google.ClientID == "" {
		return fail("google.client_id", "is required")
	}
	if err := checkURL(p.Google.RedirectURI); err != nil {
		return fail("google.redirect_uri", "%v", err)
	}
	if p.Expect.AccessTTL <= 0 {
		return fail("expect.access_ttl", "must be positive")
	}
	if p.Expect.RefreshTTL <= 0 {
		return fail("expect.refresh_ttl", "must be positive")
	}
	if p.ClockURL != "" {
		if err := checkURL(p.ClockURL); err != nil {
			return fail("clock_url", "%v", err)
		}
	}
	return p.validateGraphQL(loc)
}

// locator places errors in the profile file a profile was read from: file, and the line
// of each field path the decoder set.
type locator struct {
	file  string
	lines map[string]int
}

// locator returns where p's errors are placed: file and lines when given, else where
// ParseProfile read p from, else p's name in parentheses.
func (p *Profile) locator(file string, lines map[string]int) locator {
	switch {
	case file != "":
		return locator{file: file, lines: lines}
	case p.source.file != "":
		return p.source
	}
	return locator{file: "(" + p.Name + ")"}
}

// line returns the line of field, or of the closest enclosing field the decoder saw, or
// 0 when there is none.
func (l locator) line(field string) int {
	for path := field; l.lines != nil; {
		if line, ok := l.lines[path]; ok {
			return line
		}
		i := strings.LastIndex(path, ".")
		if i < 0 {
			path = ""
			continue
		}
		path = path[:i]
	}
	return 0
}

// errorf is a *ConfigError about field; offset is added to its line, when it has one.
func (l locator) errorf(field string, offset int, format string, args ...any) *ConfigError {
	line := l.line(field)
	if line > 0 {
		line += offset
	}
	return &ConfigError{File: l.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("want an absolute http or https URL, not %q", raw)
	}
	return nil
}
