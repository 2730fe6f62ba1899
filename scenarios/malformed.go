package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// hugeBody is the size of the body of the huge-body probe: past the usual limits of
// frameworks (Django's DATA_UPLOAD_MAX_MEMORY_SIZE is 2.5 MB).
const hugeBody = 3 << 20

// errorChecks are the checks of how the backend answers requests it cannot use.
func errorChecks() []Check {
	return []Check{
		{ID: "errors/malformed-input", Level: Must, Run: checkMalformedInput,
			Title: "malformed requests to every endpoint are answered 4xx with a JSON body"},
		{ID: "errors/no-debug-page", Level: Must, Run: checkNoDebugPage,
			Title: "no answer shows a stack trace or a framework's debug page"},
	}
}

// probe is one malformed request.
type probe struct {
	name   string // what is wrong with it: "broken JSON"
	method string
	path   string
	ctype  string // Content-Type; "" sends none
	body   []byte // nil sends none
	auth   string // Authorization; "" sends none
	// op is the GraphQL operation (opUser, opRefresh) a probe of a GraphQL target runs
	// to carry its bad token to where the target reads it: the operation is posted as
	// the Client posts it, with auth as its Authorization header and token as its
	// refresh token, and its answer read as the Client reads it. "" sends the request
	// the fields above describe.
	op    string
	token string
}

func (p probe) String() string {
	if p.op != "" {
		return p.method + " " + p.path + " (operation " + p.op + ") with " + p.name
	}
	return p.method + " " + p.path + " with " + p.name
}

// badAuthorizations are Authorization headers that carry no usable bearer token.
var badAuthorizations = []string{
	"Bearer", "Bearer a b", "Basic Zm9vOmJhcg==", "Token abc", "bearer abc", "Bearer %%%%",
	"Bearer a.b", "Bearer ....", "Bearer e30.e30.", "Bearer " + strings.Repeat("x", 2048),
}

// malformedProbes returns the malformed requests for the endpoints of p: bodies the
// token endpoints cannot parse, a refresh token that is not a JWT, and Authorization
// headers the user endpoint cannot use.
func malformedProbes(p *Profile) []probe {
	endpoints := []Endpoint{p.Login, p.Refresh}
	if p.Logout != nil {
		endpoints = append(endpoints, *p.Logout)
	}
	var out []probe
	seen := make(map[string]bool)
	for _, ep := range endpoints {
		if !seen[ep.Path] {
			seen[ep.Path] = true
			out = append(out, bodyProbes(ep.Path, ep.Field)...)
		}
	}
	out = append(out, refreshProbe(p, "a refresh token that is not a JWT", "not-a-jwt"))
	for _, auth := range badAuthorizations {
		out = append(out, userProbe(p, "Authorization: "+clip(auth, 24), auth))
	}
	return out
}

// userProbe is a request of the user endpoint named name with the Authorization header
// auth; for a GraphQL target, the user operation posted with that header, since the
// endpoint answers a GET without reading the header.
func userProbe(p *Profile, name, auth string) probe {
	if p.Transport == TransportGraphQL {
		return probe{name: name, method: http.MethodPost, path: p.User.Path, auth: auth,
			op: opUser}
	}
	return probe{name: name, method: http.MethodGet, path: p.User.Path, auth: auth}
}

// bodyProbes are bodies no token endpoint can use, field being the one it reads.
func bodyProbes(path, field string) []probe {
	post := func(name, ctype, body string) probe {
		return probe{name: name, method: http.MethodPost, path: path, ctype: ctype,
			body: []byte(body)}
	}
	q := `"` + field + `"`
	return []probe{
		post("an empty form body", formType, ""),
		post("bytes that are not UTF-8", formType, "\xff\xfe\x80garbage\xc3"),
		post("bad percent-encoding", formType, field+"=%zz&grant_type=%"),
		post("broken JSON", jsonType, "{"+q+`: "abc",`),
		post("a JSON array", jsonType, "["+q+"]"),
		post("JSON null", jsonType, "null"),
		post("fields that are not strings", jsonType, "{"+q+`: {"$ne": null}, "grant_type": 1}`),
		post("a text/xml body", "text/xml", "<"+field+">abc</"+field+">"),
		post("a malformed Content-Type", "application/json; ;=", "{}"),
		post("multipart without a boundary", "multipart/form-data", "--x\r\n"),
		post("a 3 MiB body", jsonType, "{"+q+`: "`+strings.Repeat("a", hugeBody)+`"}`),
	}
}

// refreshProbe is a refresh request named name that carries token, encoded the way the
// refresh endpoint of p takes it; for a GraphQL target, the refresh operation.
func refreshProbe(p *Profile, name, token string) probe {
	ep := p.Refresh
	if p.Transport == TransportGraphQL {
		return probe{name: name, method: http.MethodPost, path: ep.Path, op: opRefresh,
			token: token}
	}
	pr := probe{name: name, method: http.MethodPost, path: ep.Path, ctype: formType,
		body: []byte(encodeURIComponent(ep.Field) + "=" + encodeURIComponent(token) +
			"&grant_type=refresh_token")}
	if ep.Encoding == EncodingJSON {
		pr.ctype = jsonType
		pr.body, _ = json.Marshal(map[string]string{ep.Field: token})
	}
	return pr
}

// sessionProbes are requests with the tokens of a session cut short: a real token's
// header and claims without its signature, which hand-written decoding often fails on.
func sessionProbes(p *Profile, t Tokens) []probe {
	return []probe{
		userProbe(p, "an access token cut before its signature", "Bearer "+cutToken(t.Access)),
		refreshProbe(p, "a refresh token cut before its signature", cutToken(t.Refresh)),
	}
}

// cutToken drops a JWT's signature segment and the dot before it, or the second half of
// a token that is not a JWT; what is left holds nothing secret.
func cutToken(token string) string {
	if i := strings.LastIndexByte(token, '.'); i > 0 {
		return token[:i]
	}
	return token[:len(token)/2]
}

// allProbes signs in and returns the malformed probes with the session probes of the
// new session; the error is ready to become an error verdict.
func allProbes(ctx context.Context, env *Env) ([]probe, error) {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return nil, err
	}
	return append(malformedProbes(env.Profile), sessionProbes(env.Profile, tokens)...), nil
}

// send sends the probe and returns the answer; the error is for answers that never
// arrived.
func (p probe) send(ctx context.Context, env *Env) (*Response, error) {
	if p.op != "" {
		c := env.Client
		return c.graphql(ctx, p.op, c.graphqlValues("", "", p.token, ""), p.auth)
	}
	req, err := env.Client.newRequest(ctx, p.method, p.path, p.ctype, p.body)
	if err != nil {
		return nil, err
	}
	if p.auth != "" {
		req.Header.Set("Authorization", p.auth)
	}
	return env.Client.Do(req, p.body)
}

func checkMalformedInput(ctx context.Context, env *Env) Result {
	probes, err := allProbes(ctx, env)
	if err != nil {
		return Errored(err)
	}
	var wrong []string
	for _, pr := range probes {
		resp, err := pr.send(ctx, env)
		switch {
		case err != nil && ctx.Err() != nil:
			return Errored(err)
		case err != nil && pr.name == "a 3 MiB body":
			// Refusing to read a body that large and closing the connection is fair.
			env.Notef("%s: the connection closed before an answer (%v)", pr, err)
		case err != nil:
			wrong = append(wrong, fmt.Sprintf("%s got no answer (%v)", pr, err))
		case !refused(resp):
			wrong = append(wrong, fmt.Sprintf("%s got %s", pr, describeAnswer(resp)))
		case !isJSON(resp.Body):
			wrong = append(wrong, fmt.Sprintf("%s got %s, not JSON", pr, describeAnswer(resp)))
		}
	}
	if len(wrong) > 0 {
		return Fail("%d of %d malformed requests were answered other than 4xx with a JSON "+
			"body (%s); catch what the backend cannot parse and answer 400, 413 or 415 in "+
			"JSON (DRF's exception handler does for its views; what fails before them gets "+
			"Django's HTML pages)", len(wrong), len(probes), strings.Join(firstN(wrong, 3), "; "))
	}
	return Pass("%d malformed requests to %s were answered 4xx with a JSON body",
		len(probes), describePaths(probes))
}

// describeAnswer renders an answer's status and content type for a summary; a GraphQL
// answer standing for another status than its own names both.
func describeAnswer(r *Response) string {
	status := fmt.Sprint(r.Status)
	if r.GraphQL != nil && r.GraphQL.HTTPStatus != r.Status {
		status = fmt.Sprintf("%d (HTTP %d)", r.Status, r.GraphQL.HTTPStatus)
	}
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	if ct == "" {
		return status + " without a Content-Type"
	}
	return status + " " + ct
}

// isJSON reports whether body is a JSON document.
func isJSON(body []byte) bool {
	body = bytes.TrimSpace(body)
	return len(body) > 0 && json.Valid(body)
}

// firstN returns at most the first n items of list, saying how many more there are.
func firstN(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	return append(list[:n:n], fmt.Sprintf("%d more", len(list)-n))
}

// describePaths lists the paths the probes went to.
func describePaths(probes []probe) string {
	var paths []string
	seen := make(map[string]bool)
	for _, p := range probes {
		if !seen[p.path] {
			seen[p.path] = true
			paths = append(paths, p.path)
		}
	}
	return strings.Join(paths, ", ")
}

// debugMarker is text that only a stack trace or a framework's debug page shows.
type debugMarker struct {
	pattern *regexp.Regexp
	what    string
}

// debugMarkers find stack traces and debug pages in answers.
var debugMarkers = []debugMarker{
	{regexp.MustCompile(`Traceback \(most recent call last\)`), "a Python traceback"},
	{regexp.MustCompile(`File "[^"]+\.py", line \d+`), "a Python traceback"},
	{regexp.MustCompile(`You're seeing this error because you have`),
		"Django's debug page (DEBUG = True)"},
	{regexp.MustCompile(`Using the URLconf defined in`), "Django's debug 404 page (DEBUG = True)"},
	{regexp.MustCompile(`Werkzeug Debugger|werkzeug\.exceptions`), "Werkzeug's debugger"},
	{regexp.MustCompile(`goroutine \d+ \[[a-z ]+\]:`), "a Go panic's stack"},
	{regexp.MustCompile(`\bat [a-z]+(\.[A-Za-z0-9_$]+)+\([A-Za-z0-9_]+\.java:\d+\)`),
		"a Java stack trace"},
	{regexp.MustCompile(`Whitelabel Error Page`), "Spring Boot's error page"},
	{regexp.MustCompile(`\bat .+ \(/[^)]+\.[cm]?js:\d+:\d+\)`), "a Node.js stack trace"},
	{regexp.MustCompile(`Action Controller: Exception caught`), "Rails' debug page"},
}

// unexpectedProbes are requests for a path that does not exist and with a method the
// login endpoint does not allow, whose answers frameworks in debug mode render as debug
// pages too.
func unexpectedProbes(p *Profile) []probe {
	return []probe{
		{name: "a path that does not exist", method: http.MethodGet,
			path: "/authprobe-no-such-path/"},
		{name: "a method it does not allow", method: http.MethodPut, path: p.Login.Path,
			ctype: formType, body: []byte{}},
	}
}

func checkNoDebugPage(ctx context.Context, env *Env) Result {
	probes, err := allProbes(ctx, env)
	if err != nil {
		return Errored(err)
	}
	probes = append(probes, unexpectedProbes(env.Profile)...)
	for _, pr := range probes {
		resp, err := pr.send(ctx, env)
		if err != nil && ctx.Err() != nil {
			return Errored(err)
		}
		if err != nil {
			continue // errors/malformed-input reports answers that never came
		}
		for _, m := range debugMarkers {
			if m.pattern.Match(resp.Body) {
				return Fail("%s got %s showing %s, which tells an attacker the code, the "+
					"settings and sometimes the secrets; switch debug off in production "+
					"(Django's DEBUG = False) and answer errors without internals", pr,
					describeAnswer(resp), m.what)
			}
		}
	}
	return Pass("none of %d malformed or unexpected requests got a stack trace or a debug "+
		"page", len(probes))
}
