package scenarios

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// GraphQLAnswer is what a GraphQL answer said besides its data. A Client of a GraphQL
// profile sets it on the Response of every flow request ([Client.Exchange],
// [Client.Refresh], [Client.User], [Client.Logout]); that Response stands for the answer
// a REST endpoint would have given, so that checks judge both kinds of target alike:
//
//   - Status is the HTTP status when that is not 2xx. A 2xx answer with errors stands for
//     401 when one of them is one the profile's graphql.refused names, else for what the
//     first one's extensions.code usually means (BAD_USER_INPUT, BAD_REQUEST,
//     GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED 400; UNAUTHENTICATED 401; FORBIDDEN
//     403; NOT_FOUND 404; INTERNAL_SERVER_ERROR 500; SERVICE_UNAVAILABLE 503), else for a
//     server failure, 500. A user operation answering null stands for 401, and a logout
//     answering null or false for 400.
//   - JSON is the object at the operation's result path (data.me, say), nil when there is
//     none, and Tokens are the strings at its token paths.
//   - Header and Body are the HTTP answer's.
type GraphQLAnswer struct {
	// HTTPStatus is the status the server answered with.
	HTTPStatus int
	// Errors are the answer's errors, in order.
	Errors []GraphQLError
}

// GraphQLError is one entry of a GraphQL answer's errors.
type GraphQLError struct {
	Message string
	Code    string // extensions.code; "" when there is none
	Path    string // the field it made null, dotted (refreshToken); "" when none
}

// graphqlCodeStatus is the HTTP status a GraphQL error's extensions.code usually means.
var graphqlCodeStatus = map[string]int{
	"BAD_USER_INPUT":            http.StatusBadRequest,
	"BAD_REQUEST":               http.StatusBadRequest,
	"GRAPHQL_PARSE_FAILED":      http.StatusBadRequest,
	"GRAPHQL_VALIDATION_FAILED": http.StatusBadRequest,
	"UNAUTHENTICATED":           http.StatusUnauthorized,
	"FORBIDDEN":                 http.StatusForbidden,
	"NOT_FOUND":                 http.StatusNotFound,
	"INTERNAL_SERVER_ERROR":     http.StatusInternalServerError,
	"SERVICE_UNAVAILABLE":       http.StatusServiceUnavailable,
}

// graphqlRequest is a GraphQL-over-HTTP request body.
type graphqlRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
}

// graphqlResults maps each operation of a GraphQL profile to its result path, split.
func graphqlResults(g *GraphQL) map[string][]string {
	out := map[string][]string{}
	for name, op := range g.operations() {
		path := op.Paths.Result
		if path == "" {
			path = "data"
			doc, err := parser.ParseQuery(&ast.Source{Input: op.Document})
			if err == nil && len(doc.Operations) > 0 {
				path += "." + rootKey(doc.Operations[0])
			}
		}
		out[name] = strings.Split(path, ".")
	}
	return out
}

// graphqlSecrets names the variables that carry secrets, for the redactor.
func graphqlSecrets(g *GraphQL) []string {
	var names []string
	for _, op := range g.operations() {
		for name, v := range op.Variables {
			for _, ph := range placeholdersIn(v) {
				if slices.Contains(secretPlaceholders, ph) {
					names = append(names, name)
				}
			}
		}
	}
	return names
}

// graphql runs the named operation of the profile with its placeholders standing for
// values, and auth as its Authorization header unless it is empty, and returns the answer
// as [GraphQLAnswer] says.
func (c *Client) graphql(ctx context.Context, name string, values map[string]string,
	auth string) (*Response, error) {
	req, body, err := c.graphqlRequest(ctx, name, values, auth)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req, body)
	if err != nil {
		return nil, err
	}
	c.readGraphQL(resp, name, c.profile.GraphQL.operations()[name])
	return resp, nil
}

// graphqlRequest builds the request that graphql sends, and returns its body too.
func (c *Client) graphqlRequest(ctx context.Context, name string, values map[string]string,
	auth string) (*http.Request, []byte, error) {
	g := c.profile.GraphQL
	op := g.operations()[name]
	if op == nil {
		return nil, nil, fmt.Errorf("scenarios: the profile has no graphql %s operation", name)
	}
	vars, _ := substitute(op.Variables, values).(map[string]any)
	body, err := json.Marshal(graphqlRequest{Query: op.Document, Variables: vars})
	if err != nil {
		return nil, nil, fmt.Errorf("scenarios: graphql %s variables: %w", name, err)
	}
	req, err := c.newRequest(ctx, http.MethodPost, g.Endpoint, jsonType, body)
	if err != nil {
		return nil, nil, err
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return req, body, nil
}

// substitute replaces the placeholders in v (a variable's value, walked through maps and
// lists) by their values; a map entry whose placeholder has no value is left out.
func substitute(v any, values map[string]string) any {
	switch v := v.(type) {
	case string:
		if slices.Contains(Placeholders, v) {
			return values[v]
		}
		return v
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if s, ok := x.(string); ok && slices.Contains(Placeholders, s) && values[s] == "" {
				continue
			}
			out[k] = substitute(x, values)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = substitute(x, values)
		}
		return out
	}
	return v
}

// readGraphQL turns the HTTP answer of operation name into what it stands for.
func (c *Client) readGraphQL(resp *Response, name string, op *Operation) {
	whole := resp.JSON
	ans := &GraphQLAnswer{HTTPStatus: resp.Status, Errors: graphqlErrors(whole["errors"])}
	result := lookup(whole, c.results[name])
	resp.GraphQL = ans
	resp.JSON, _ = result.(map[string]any)
	resp.Tokens = Tokens{Access: lookupString(whole, op.Paths.Access),
		Refresh: lookupString(whole, op.Paths.Refresh)}
	resp.Status = c.profile.GraphQL.status(name, ans, result)
}

// status is the status a GraphQL answer stands for (see [GraphQLAnswer]).
func (g *GraphQL) status(name string, ans *GraphQLAnswer, result any) int {
	switch {
	case ans.HTTPStatus < 200 || ans.HTTPStatus > 299:
		return ans.HTTPStatus
	case len(ans.Errors) > 0:
		for _, e := range ans.Errors {
			if g.Refused.matches(e) {
				return http.StatusUnauthorized
			}
		}
		if s, ok := graphqlCodeStatus[ans.Errors[0].Code]; ok {
			return s
		}
		return http.StatusInternalServerError
	case name == opUser && result == nil:
		return http.StatusUnauthorized
	case name == opLogout && (result == nil || result == false):
		return http.StatusBadRequest
	}
	return ans.HTTPStatus
}

// matches reports whether e is an error the profile names as a refusal.
func (r GraphQLRefused) matches(e GraphQLError) bool {
	for _, code := range r.Codes {
		if e.Code != "" && strings.EqualFold(code, e.Code) {
			return true
		}
	}
	msg := strings.ToLower(e.Message)
	for _, m := range r.Messages {
		if m != "" && strings.Contains(msg, strings.ToLower(m)) {
			return true
		}
	}
	return false
}

// graphqlErrors reads a GraphQL answer's errors member.
func graphqlErrors(v any) []GraphQLError {
	list, _ := v.([]any)
	out := make([]GraphQLError, 0, len(list))
	for _, item := range list {
		obj, _ := item.(map[string]any)
		e := GraphQLError{}
		e.Message, _ = obj["message"].(string)
		ext, _ := obj["extensions"].(map[string]any)
		e.Code, _ = ext["code"].(string)
		path, _ := obj["path"].([]any)
		parts := make([]string, len(path))
		for i, p := range path {
			parts[i] = fmt.Sprint(p)
		}
		e.Path = strings.Join(parts, ".")
		out = append(out, e)
	}
	return out
}

// lookup follows a split dotted path through JSON objects; nil when it leads nowhere.
func lookup(v any, path []string) any {
	for _, key := range path {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[key]
	}
	return v
}

// lookupString returns the string at a dotted path, or "".
func lookupString(v map[string]any, path string) string {
	if path == "" {
		return ""
	}
	s, _ := lookup(v, strings.Split(path, ".")).(string)
	return s
}

// bearer is the Authorization header that carries access, or "" when access is empty.
func bearer(access string) string {
	if access == "" {
		return ""
	}
	return "Bearer " + access
}

// graphqlValues are the values of the placeholders for one request.
func (c *Client) graphqlValues(code, verifier, refresh, access string) map[string]string {
	g := c.profile.Google
	return map[string]string{
		"{code}": code, "{code_verifier}": verifier, "{redirect_uri}": g.RedirectURI,
		"{client_id}": g.ClientID, "{refresh_token}": refresh, "{access_token}": access,
	}
}
