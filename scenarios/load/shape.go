package load

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/scenarios"
)

// marker stands in for the refresh token while the request's shape is learnt. Body
// encodings and cookies pass its characters through unchanged.
const marker = "authprobe0load0refresh0token0marker"

// shape is the refresh request of a profile, byte for byte as [scenarios.Client.Refresh]
// sends it (body, and the Cookie header when the profile keeps tokens in cookies), cut
// around the token so that building a request costs little.
type shape struct {
	client *scenarios.Client // builds the requests whose tokens cannot be spliced in
	url    string
	fixed  http.Header // headers without the token; shared, never written after newShape
	carry  []spliced   // headers whose values carry the token
	body   spliced
}

// spliced is a header value or a body with the token cut out.
type spliced struct {
	name          string // the header's name; "" for the body
	before, after string
	carriesToken  bool
}

// newShape learns the refresh request of the profile from the one a scenarios.Client
// builds around a marker. The encoding rules stay in one place, the Client.
func newShape(p *scenarios.Profile) (*shape, error) {
	s := &shape{client: scenarios.NewClient(p, scenarios.ClientConfig{}), fixed: http.Header{}}
	req, body, err := s.build(marker)
	if err != nil {
		return nil, err
	}
	if strings.Contains(req.URL.String(), marker) {
		return nil, errors.New("load: refresh requests that carry the token in the URL " +
			"are not supported")
	}
	s.url = req.URL.String()
	if s.body, err = splice("", string(body)); err != nil {
		return nil, err
	}
	for name, values := range req.Header {
		if len(values) != 1 || !strings.Contains(values[0], marker) {
			s.fixed[name] = values
			continue
		}
		sp, err := splice(name, values[0])
		if err != nil {
			return nil, err
		}
		s.carry = append(s.carry, sp)
	}
	if !s.body.carriesToken && len(s.carry) == 0 {
		return nil, errors.New("load: the refresh request does not carry the token")
	}
	return s, nil
}

// splice cuts the marker out of v.
func splice(name, v string) (spliced, error) {
	before, after, ok := strings.Cut(v, marker)
	if !ok {
		return spliced{name: name, before: v}, nil
	}
	if strings.Contains(after, marker) {
		where := "body"
		if name != "" {
			where = name + " header"
		}
		return spliced{}, fmt.Errorf("load: the refresh request carries the token twice in "+
			"its %s", where)
	}
	return spliced{name: name, before: before, after: after, carriesToken: true}, nil
}

// with returns v with token in the marker's place.
func (sp spliced) with(token string) string {
	if !sp.carriesToken {
		return sp.before
	}
	return sp.before + token + sp.after
}

// request returns the body and headers of the refresh request that carries token. The
// header has room for room more entries. Tokens made of characters that no encoding
// escapes (every JWT is) are spliced in; others go through the Client again.
func (s *shape) request(token string, room int) ([]byte, http.Header, error) {
	header := make(http.Header, len(s.fixed)+len(s.carry)+room)
	if !plain(token) {
		req, body, err := s.build(token)
		if err != nil {
			return nil, nil, err
		}
		for k, v := range req.Header {
			header[k] = v
		}
		return body, header, nil
	}

	for k, v := range s.fixed {
		header[k] = v
	}
	for _, sp := range s.carry {
		header[sp.name] = []string{sp.with(token)}
	}
	b := s.body
	if !b.carriesToken {
		return []byte(b.before), header, nil
	}
	body := make([]byte, 0, len(b.before)+len(token)+len(b.after))
	body = append(body, b.before...)
	body = append(body, token...)
	return append(body, b.after...), header, nil
}

// build has the Client build the refresh request for token, and returns it with its
// body.
func (s *shape) build(token string) (*http.Request, []byte, error) {
	req, err := s.client.RefreshRequest(token)
	if err != nil {
		return nil, nil, fmt.Errorf("load: build refresh request: %w", err)
	}
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body) // an in-memory body: reading it cannot fail
	}
	return req, body, nil
}

// plain reports whether token is made only of characters that neither form nor JSON
// encoding, nor a cookie, changes.
func plain(token string) bool {
	for i := 0; i < len(token); i++ {
		c := token[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			continue
		}
		return false
	}
	return true
}
