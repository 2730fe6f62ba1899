package scenarios

import (
	"maps"
	"slices"
	"strings"
)

// Transports: how a profile's requests reach the target.
const (
	TransportREST    = "rest"    // the default: form or JSON bodies to each endpoint
	TransportGraphQL = "graphql" // GraphQL operations posted to one endpoint
)

// GraphQL describes a target whose sign-in, refresh, user and logout are GraphQL
// operations posted to one endpoint (GraphQL over HTTP, JSON bodies).
type GraphQL struct {
	// Endpoint is the path of the GraphQL endpoint under the base URL, such as /graphql.
	Endpoint string `yaml:"endpoint"`
	// Schema is an SDL file (relative to the profile file) or an http(s) URL. Empty: the
	// target's introspection answer, or else the SDL at GET {endpoint}/schema.graphql.
	Schema string `yaml:"schema"`
	// Refused says which errors are the target refusing the request (a bad token or code).
	Refused GraphQLRefused `yaml:"refused"`
	// Login, Refresh and User are the operations of the flow; Logout is nil when the
	// target has none. Login must answer both tokens, Refresh at least the access token.
	Login   Operation  `yaml:"login"`
	Refresh Operation  `yaml:"refresh"`
	User    Operation  `yaml:"user"`
	Logout  *Operation `yaml:"logout"`
}

// GraphQLRefused names the errors of a GraphQL answer that mean the target refused the
// request: an error whose extensions.code is one of Codes, or whose message contains one
// of Messages (case-insensitive), stands for a 401. Other errors stand for the status
// their code usually means (see [GraphQLAnswer]), and errors without a known code for a
// server failure.
type GraphQLRefused struct {
	Codes    []string `yaml:"codes"`
	Messages []string `yaml:"messages"`
}

// Operation is one GraphQL operation of the flow.
type Operation struct {
	// Document holds exactly one operation, and the fragments it spreads.
	Document string `yaml:"document"`
	// Variables are sent with the operation. A string value that is a placeholder, such
	// as "{code}", is replaced by what it names (see [Placeholders]); a placeholder with
	// nothing to stand for (no PKCE verifier) leaves its variable out.
	Variables map[string]any `yaml:"variables"`
	// Paths says where the answer holds what the flow reads.
	Paths OperationPaths `yaml:"paths"`
}

// OperationPaths are dotted paths into a GraphQL answer, such as
// data.refreshToken.accessToken.
type OperationPaths struct {
	Access  string `yaml:"access"`  // the access token (login and refresh)
	Refresh string `yaml:"refresh"` // the refresh token (login and refresh)
	// Result is the object that stands for the answer's JSON body in checks; empty means
	// data.<the operation's first field>.
	Result string `yaml:"result"`
}

// Placeholders are what an operation's variables can stand for.
var Placeholders = []string{
	"{code}", "{code_verifier}", "{redirect_uri}", "{client_id}", "{refresh_token}",
	"{access_token}",
}

// secretPlaceholders stand for values that are never shown.
var secretPlaceholders = []string{"{code}", "{code_verifier}", "{refresh_token}",
	"{access_token}"}

// The operations of the flow, as profiles and errors name them.
const (
	opLogin   = "login"
	opRefresh = "refresh"
	opUser    = "user"
	opLogout  = "logout"
)

// operations returns the profile's operations by name, logout only when it has one.
func (g *GraphQL) operations() map[string]*Operation {
	ops := map[string]*Operation{opLogin: &g.Login, opRefresh: &g.Refresh, opUser: &g.User}
	if g.Logout != nil {
		ops[opLogout] = g.Logout
	}
	return ops
}

// operationNames returns the names of operations(), in the order of the flow.
func (g *GraphQL) operationNames() []string {
	names := []string{opLogin, opRefresh, opUser}
	if g.Logout != nil {
		names = append(names, opLogout)
	}
	return names
}

// graphqlProfile is refserver's GraphQL API: /graphql, its schema read by introspection.
func graphqlProfile() *Profile {
	p := defaultProfile()
	p.Name = "graphql"
	p.Transport = TransportGraphQL
	pair := "{\n    accessToken\n    refreshToken\n    expiresIn\n  }"
	p.GraphQL = &GraphQL{
		Endpoint: "/graphql",
		Refused:  GraphQLRefused{Codes: []string{"UNAUTHENTICATED", "TOKEN_NOT_VALID"}},
		Login: Operation{
			Document: "mutation SignIn($code: String!, $redirectUri: String, " +
				"$codeVerifier: String) {\n  socialAuth(code: $code, redirectUri: " +
				"$redirectUri, codeVerifier: $codeVerifier) " + pair + "\n}",
			Variables: map[string]any{"code": "{code}", "redirectUri": "{redirect_uri}",
				"codeVerifier": "{code_verifier}"},
			Paths: OperationPaths{Access: "data.socialAuth.accessToken",
				Refresh: "data.socialAuth.refreshToken"},
		},
		Refresh: Operation{
			Document: "mutation Refresh($refreshToken: String!) {\n  refreshToken(" +
				"refreshToken: $refreshToken) " + pair + "\n}",
			Variables: map[string]any{"refreshToken": "{refresh_token}"},
			Paths: OperationPaths{Access: "data.refreshToken.accessToken",
				Refresh: "data.refreshToken.refreshToken"},
		},
		User: Operation{Document: "query Me {\n  me {\n    pk\n    email\n    firstName\n" +
			"    lastName\n  }\n}"},
		Logout: &Operation{
			Document: "mutation Logout($refreshToken: String!) {\n  revokeToken(" +
				"refreshToken: $refreshToken)\n}",
			Variables: map[string]any{"refreshToken": "{refresh_token}"},
		},
	}
	p.applyTransport()
	return p
}

// applyTransport points the REST view of a GraphQL profile at its endpoint, so that
// checks name it in reports: the login, refresh and user paths (and logout's, when it has
// one) become the GraphQL endpoint, the token field names the last elements of the token
// paths. It does nothing for a REST profile.
func (p *Profile) applyTransport() {
	g := p.GraphQL
	if p.Transport != TransportGraphQL || g == nil {
		return
	}
	ep := Endpoint{Path: g.Endpoint, Encoding: EncodingJSON}
	p.Login, p.User = ep, ep
	p.Login.Field = variableFor(g.Login.Variables, "{code}")
	p.Refresh = ep
	p.Refresh.Field = variableFor(g.Refresh.Variables, "{refresh_token}")
	p.Logout = nil
	if g.Logout != nil {
		logout := ep
		logout.Field = variableFor(g.Logout.Variables, "{refresh_token}")
		p.Logout = &logout
	}
	p.Tokens = TokenFields{Access: lastElement(g.Login.Paths.Access),
		Refresh: lastElement(g.Login.Paths.Refresh)}
}

// variableFor returns the name of the top-level variable whose value is placeholder, or
// "" when none is.
func variableFor(vars map[string]any, placeholder string) string {
	for _, name := range slices.Sorted(maps.Keys(vars)) {
		if vars[name] == placeholder {
			return name
		}
	}
	return ""
}

// lastElement returns what follows the last dot of a dotted path.
func lastElement(path string) string {
	return path[strings.LastIndex(path, ".")+1:]
}
