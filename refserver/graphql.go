package refserver

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// Paths of the GraphQL API.
const (
	pathGraphQL       = "/graphql"
	pathGraphQLSchema = "/graphql/schema.graphql"
)

// Limits on a GraphQL request, on top of maxBodyBytes for the whole body.
const (
	maxQueryBytes   = 8 << 10 // the query document
	maxQueryTokens  = 1500    // lexical tokens: validation is quadratic in fields at worst
	maxQueryDepth   = 15      // nested selection sets, fragments expanded
	maxAnswerFields = 20_000  // fields one answer may hold
)

// The extensions.code values of refserver's GraphQL errors.
const (
	codeBadRequest       = "BAD_REQUEST"               // the HTTP request is not a GraphQL one
	codeParseFailed      = "GRAPHQL_PARSE_FAILED"      // the query does not parse
	codeValidationFailed = "GRAPHQL_VALIDATION_FAILED" // it does not fit the schema or limits
	codeBadUserInput     = "BAD_USER_INPUT"            // a variable or argument value is wrong
	codeUnauthenticated  = "UNAUTHENTICATED"           // no access token, or a refused one
	codeTokenNotValid    = "TOKEN_NOT_VALID"           // a refused refresh token
	codeUnavailable      = "SERVICE_UNAVAILABLE"       // Google is down or answers nonsense
	codeInternal         = "INTERNAL_SERVER_ERROR"     // refserver itself failed
)

// schemaSDL is the GraphQL schema refserver serves.
//
//go:embed schema.graphql
var schemaSDL string

// graphqlSchema returns schemaSDL parsed and validated, once per process. It panics when
// the embedded schema does not load, a mistake in this package that every test catches.
var graphqlSchema = sync.OnceValue(func() *ast.Schema {
	return gqlparser.MustLoadSchema(&ast.Source{Name: "schema.graphql", Input: schemaSDL})
})

// graphqlRequest is a POST /graphql body (GraphQL over HTTP).
type graphqlRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

// graphqlResponse is a GraphQL answer. Data is nil when the request failed before
// execution; it is then left out, as the GraphQL spec asks.
type graphqlResponse struct {
	Errors gqlerror.List `json:"errors,omitempty"`
	Data   *resultObject `json:"data,omitempty"`
}

// requestError is a GraphQL request refused before execution, with its HTTP status.
type requestError struct {
	status int
	errs   gqlerror.List
}

func (e *requestError) Error() string {
	return fmt.Sprintf("refserver: graphql request refused (%d): %v", e.status, e.errs)
}

// newRequestError refuses a request with one error carrying code.
func newRequestError(status int, code, msg string) *requestError {
	return &requestError{status: status, errs: gqlerror.List{codedError(code, msg)}}
}

// codedError is a GraphQL error with extensions.code set.
func codedError(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

// serveGraphQL is POST /graphql: the sign-in, refresh, user and logout of the REST
// endpoints as GraphQL operations. Requests that are not GraphQL, do not parse or do not
// validate get only errors and a 4xx; executed operations get 200 with data and the
// errors of the fields that failed.
func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request) error {
	x, err := s.prepareGraphQL(w, r)
	if err != nil {
		s.writeGraphQLError(w, r, err)
		return nil
	}

	data, err := x.run()
	switch {
	case err != nil:
		s.writeGraphQLError(w, r, err)
	case x.crash != nil:
		s.writeDebugPage(w, r, x.crash)
	default:
		s.writeJSON(w, r, http.StatusOK, graphqlResponse{Errors: x.errs, Data: data})
	}
	return nil
}

// serveGraphQLSchema is GET /graphql/schema.graphql: the schema in SDL.
func (s *Server) serveGraphQLSchema(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if _, err := io.WriteString(w, schemaSDL); err != nil {
		s.log.DebugContext(r.Context(), "write response", "err", err)
	}
	return nil
}

// prepareGraphQL decodes the request, parses and validates its query against the schema,
// picks the operation and coerces its variables. Errors are *apiError (the body is not a
// GraphQL request) or *requestError.
func (s *Server) prepareGraphQL(w http.ResponseWriter, r *http.Request) (*execution,
	error) {
	req, err := decodeGraphQLRequest(w, r)
	if err != nil {
		return nil, err
	}
	schema := graphqlSchema()
	doc, err := parseGraphQLQuery(schema, req.Query)
	if err != nil {
		return nil, err
	}
	op, err := selectOperation(doc, req.OperationName)
	if err != nil {
		return nil, err
	}
	vars, err := validator.VariableValues(schema, op, req.Variables)
	if err != nil {
		return nil, &requestError{status: http.StatusBadRequest,
			errs: gqlerror.List{withCode(err, codeBadUserInput)}}
	}
	return &execution{s: s, w: w, r: r, schema: schema, doc: doc, op: op, vars: vars,
		budget: maxAnswerFields}, nil
}

// decodeGraphQLRequest reads a JSON GraphQL request of at most maxBodyBytes.
func decodeGraphQLRequest(w http.ResponseWriter, r *http.Request) (graphqlRequest, error) {
	enc, _, err := bodyEncoding(r)
	if err != nil {
		return graphqlRequest{}, err
	}
	if enc != "" && enc != encJSON {
		return graphqlRequest{}, unsupportedMedia(r.Header.Get("Content-Type"), nil)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return graphqlRequest{}, readError(err)
	}

	var req graphqlRequest
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&req); err != nil {
		return graphqlRequest{}, graphqlJSONError(err)
	}
	if dec.More() {
		return graphqlRequest{}, malformedError(http.StatusBadRequest, "JSON parse error.",
			errors.New("data after the request object"))
	}
	switch {
	case req.Query == "":
		return graphqlRequest{}, newRequestError(http.StatusBadRequest, codeBadRequest,
			"The request has no query.")
	case len(req.Query) > maxQueryBytes:
		return graphqlRequest{}, newRequestError(http.StatusBadRequest, codeBadRequest,
			fmt.Sprintf("The query is longer than %d bytes.", maxQueryBytes))
	}
	return req, nil
}

// graphqlJSONError says what is wrong with a body that does not decode as a request.
func graphqlJSONError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		return malformedError(http.StatusBadRequest, "JSON parse error.", err)
	}
	want := map[string]string{"query": "a string", "operationName": "a string or null",
		"variables": "an object or null"}[typeErr.Field]
	if want == "" {
		return newRequestError(http.StatusBadRequest, codeBadRequest, "The request must be "+
			"one JSON object with query, variables and operationName; batches are not "+
			"supported.")
	}
	return newRequestError(http.StatusBadRequest, codeBadRequest,
		fmt.Sprintf("The request's %s must be %s.", typeErr.Field, want))
}

// parseGraphQLQuery parses query within maxQueryTokens, validates it against schema and
// checks its depth.
func parseGraphQLQuery(schema *ast.Schema, query string) (*ast.QueryDocument, error) {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Name: "query", Input: query},
		maxQueryTokens)
	if err != nil {
		return nil, &requestError{status: http.StatusBadRequest,
			errs: gqlerror.List{withCode(err, codeParseFailed)}}
	}
	if errs := validator.ValidateWithRules(schema, doc, nil); len(errs) > 0 {
		for _, e := range errs {
			setCode(e, codeValidationFailed)
		}
		return nil, &requestError{status: http.StatusBadRequest, errs: errs}
	}
	if d := queryDepth(doc); d > maxQueryDepth {
		return nil, newRequestError(http.StatusBadRequest, codeValidationFailed,
			fmt.Sprintf("The query nests %d levels deep; the limit is %d.", d, maxQueryDepth))
	}
	return doc, nil
}

// selectOperation picks the operation to run: the one named, or the only one.
func selectOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, error) {
	if name == "" && len(doc.Operations) != 1 {
		return nil, newRequestError(http.StatusBadRequest, codeBadRequest,
			"The document has several operations; name one in operationName.")
	}
	op := doc.Operations.ForName(name)
	if op == nil {
		return nil, newRequestError(http.StatusBadRequest, codeBadRequest,
			fmt.Sprintf("The document has no operation named %q.", name))
	}
	return op, nil
}

// withCode turns a gqlparser error into a GraphQL error with extensions.code set.
func withCode(err error, code string) *gqlerror.Error {
	var e *gqlerror.Error
	if !errors.As(err, &e) {
		e = gqlerror.Wrap(err)
	}
	setCode(e, code)
	return e
}

// setCode sets e's extensions.code.
func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

// writeGraphQLError answers a request refused before execution: a *requestError as it
// is, an *apiError (the body is not a GraphQL request) as one error with its status. The
// crash-on-garbage fault answers a body that does not parse with a debug page instead.
func (s *Server) writeGraphQLError(w http.ResponseWriter, r *http.Request, err error) {
	var re *requestError
	var ae *apiError
	switch {
	case errors.As(err, &re):
	case errors.As(err, &ae) && ae.malformed && s.faults.on(FaultCrashOnGarbage):
		s.log.DebugContext(r.Context(), "request refused", "status", 500, "err", err)
		s.writeDebugPage(w, r, ae)
		return
	case errors.As(err, &ae):
		re = newRequestError(ae.status, graphqlCode(ae), ae.message())
	default:
		re = newRequestError(http.StatusInternalServerError, codeInternal,
			"A server error occurred.")
	}
	s.log.DebugContext(r.Context(), "request refused", "status", re.status, "err", err)
	s.writeJSON(w, r, re.status, graphqlResponse{Errors: re.errs})
}

// graphqlCode is the extensions.code of a refused request or field: 401s by the token
// they refuse, other statuses by what they say of the request.
func graphqlCode(e *apiError) string {
	switch {
	case e.status == http.StatusUnauthorized && e.oauth.Error == "invalid_grant":
		return codeTokenNotValid
	case e.status == http.StatusUnauthorized:
		return codeUnauthenticated
	case e.status == http.StatusInternalServerError:
		return codeInternal
	case e.status > http.StatusInternalServerError:
		return codeUnavailable
	case e.malformed:
		return codeBadRequest
	}
	return codeBadUserInput
}

// message is the human-readable part of e, as its rfc6749 description says it.
func (e *apiError) message() string {
	if e.oauth.Description != "" {
		return e.oauth.Description
	}
	return e.oauth.Error
}
