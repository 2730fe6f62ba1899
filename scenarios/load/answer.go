package load

import (
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/scenarios"
)

// verdict is what an answer to a refresh means for the session that sent it.
type verdict uint8

const (
	// rotated: a 2xx answer; the session goes on with its refresh token (the new one when
	// the answer carried one).
	rotated verdict = iota
	// refused: the backend turned the token away. The session cannot refresh any more.
	refused
	// failed: no complete answer, or a status that says nothing about the token (a 3xx,
	// 408, 429 or 5xx). The backend may or may not have spent the token.
	failed
)

// answer is what the load mode keeps of a backend's answer to a refresh.
type answer struct {
	status   int    // 0 when no complete answer arrived
	refresh  string // the refresh token the answer carried, "" for none
	access   bool   // whether it carried an access token
	complete bool
}

// answerReader reads refresh answers the way the frontend does: the profile's token
// fields of a JSON body, or else the cookies of those names.
type answerReader struct {
	names    [2]string // the access and refresh tokens' field (and cookie) names
	refusal  int       // the status the profile's error style refuses tokens with
	rotation bool      // the profile expects a new refresh token in every answer
	// client reads the answers of GraphQL profiles, whose meaning is in their errors and
	// answer paths rather than in their status; nil for REST profiles.
	client *scenarios.Client
}

func newAnswerReader(p *scenarios.Profile) *answerReader {
	r := &answerReader{names: [2]string{p.Tokens.Access, p.Tokens.Refresh},
		refusal: http.StatusUnauthorized, rotation: p.Expect.Rotation}
	if p.Style == scenarios.StyleRFC6749 {
		r.refusal = http.StatusBadRequest
	}
	if p.Transport == scenarios.TransportGraphQL {
		// The Client stands for a GraphQL refusal with a 401, whatever the style.
		r.refusal = http.StatusUnauthorized
		r.client = scenarios.NewClient(p, scenarios.ClientConfig{})
	}
	return r
}

// read decodes a complete answer. A body that is not a JSON object carries no tokens.
func (r *answerReader) read(status int, header http.Header, body []byte) answer {
	if r.client != nil {
		resp := r.client.ReadRefresh(status, header, body)
		return answer{status: resp.Status, access: resp.Tokens.Access != "",
			refresh: resp.Tokens.Refresh, complete: true}
	}
	a := answer{status: status, complete: true}
	if status < 200 || status > 299 {
		return a
	}
	tokens, _ := topFields(body, r.names) // not JSON: no tokens in the body
	a.access = len(tokens[0]) > 0 || setCookie(header, r.names[0]) != ""
	a.refresh = string(tokens[1])
	if a.refresh == "" {
		a.refresh = setCookie(header, r.names[1])
	}
	return a
}

// judge classifies an answer, and reports whether it is one the profile does not allow
// for: neither a usable token pair nor the profile's refusal.
func (r *answerReader) judge(a answer) (v verdict, unexpected bool) {
	switch s := a.status; {
	case !a.complete:
		return failed, false
	case s >= 200 && s <= 299:
		return rotated, !a.access || r.rotation && a.refresh == ""
	case s == r.refusal:
		return refused, false
	case s >= 400 && s <= 499 && s != http.StatusRequestTimeout &&
		s != http.StatusTooManyRequests:
		return refused, true
	}
	return failed, true
}

// setCookie returns the value of the cookie that header sets under name, or "".
func setCookie(header http.Header, name string) string {
	for _, line := range header["Set-Cookie"] {
		rest, ok := strings.CutPrefix(line, name+"=")
		if !ok {
			continue
		}
		value, _, _ := strings.Cut(rest, ";")
		return strings.Trim(value, `"`)
	}
	return ""
}
