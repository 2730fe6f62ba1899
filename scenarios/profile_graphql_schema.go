package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// maxSchemaBytes caps the SDL or introspection answer read for a schema.
const maxSchemaBytes = 4 << 20

// ValidateOperations validates every GraphQL operation of p against the target's schema,
// and does nothing for a REST profile. The schema is graphql.schema (a file or a URL);
// without one it is the target's introspection answer, or else the SDL the target
// serves at GET {endpoint}/schema.graphql. [Run] calls it once the target answers and
// before any check; hc makes the requests. Errors are *[ConfigError] naming the
// operation, the line and column in its document, and what does not fit.
func (p *Profile) ValidateOperations(ctx context.Context, hc *http.Client) error {
	if p.Transport != TransportGraphQL || p.GraphQL == nil {
		return nil
	}
	loc := p.locator("", nil)
	schema, err := p.loadSchema(ctx, hc, loc)
	if err != nil {
		return err
	}
	return p.GraphQL.validateAgainst(schema, loc)
}

// loadSchema gets and loads the schema ValidateOperations validates against.
func (p *Profile) loadSchema(ctx context.Context, hc *http.Client, loc locator) (*ast.Schema,
	error) {
	g := p.GraphQL
	switch {
	case isURL(g.Schema):
		sdl, err := fetchSDL(ctx, hc, g.Schema)
		if err != nil {
			return nil, loc.errorf("graphql.schema", 0, "%v", err)
		}
		return loadSDL(loc, g.Schema, sdl)
	case g.Schema != "":
		return readSchemaFile(loc, g.Schema)
	}

	endpoint := strings.TrimSuffix(p.BaseURL, "/") + g.Endpoint
	sdl, ierr := introspect(ctx, hc, endpoint)
	if ierr == nil {
		return loadSDL(loc, "the introspection answer", sdl)
	}
	sdl, ferr := fetchSDL(ctx, hc, endpoint+"/schema.graphql")
	if ferr == nil {
		return loadSDL(loc, endpoint+"/schema.graphql", sdl)
	}
	return nil, loc.errorf("graphql.schema", 0, "no schema to validate the operations "+
		"against: introspection: %v; %v; set graphql.schema to the SDL file or URL", ierr,
		ferr)
}

// isURL reports whether a schema source is an http(s) URL rather than a file.
func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// readSchemaFile loads the SDL file name, relative to the profile file's directory.
func readSchemaFile(loc locator, name string) (*ast.Schema, error) {
	path := name
	if !filepath.IsAbs(path) && !strings.HasPrefix(loc.file, "(") {
		path = filepath.Join(filepath.Dir(loc.file), name)
	}
	sdl, err := os.ReadFile(path)
	if err != nil {
		return nil, loc.errorf("graphql.schema", 0, "read the schema: %v", err)
	}
	return loadSDL(loc, path, string(sdl))
}

// loadSDL loads a schema, refusing one gqlparser does not accept.
func loadSDL(loc locator, name, sdl string) (*ast.Schema, error) {
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: name, Input: sdl})
	if err != nil {
		return nil, loc.errorf("graphql.schema", 0, "the schema from %s does not load: %v",
			name, err)
	}
	return schema, nil
}

// fetchSDL gets the SDL at url.
func fetchSDL(ctx context.Context, hc *http.Client, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", url, err)
	}
	body, status, err := readAnswer(hc, req)
	switch {
	case err != nil:
		return "", fmt.Errorf("GET %s: %w", url, err)
	case status != http.StatusOK:
		return "", fmt.Errorf("GET %s answered %d", url, status)
	}
	return string(body), nil
}

// introspect asks the GraphQL endpoint for its schema and writes it as SDL.
func introspect(ctx context.Context, hc *http.Client, endpoint string) (string, error) {
	body, _ := json.Marshal(map[string]string{"query": introspectionQuery}) // always marshals
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint,
		bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", jsonType)
	req.Header.Set("Accept", jsonType)
	data, status, err := readAnswer(hc, req)
	if err != nil {
		return "", err
	}

	var answer struct {
		Data   *introspection `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	switch err := json.Unmarshal(data, &answer); {
	case err != nil:
		return "", fmt.Errorf("POST %s answered %d without a GraphQL answer", endpoint, status)
	case len(answer.Errors) > 0:
		return "", fmt.Errorf("POST %s answered %d: %s", endpoint, status,
			answer.Errors[0].Message)
	case answer.Data == nil || answer.Data.Schema.QueryType == nil:
		return "", fmt.Errorf("POST %s answered %d without a schema", endpoint, status)
	}
	return answer.Data.sdl()
}

// readAnswer sends req and reads the answer, up to maxSchemaBytes.
func readAnswer(hc *http.Client, req *http.Request) ([]byte, int, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, 0, transportError(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxSchemaBytes+1))
	switch {
	case err != nil:
		return nil, 0, transportError(err)
	case len(data) > maxSchemaBytes:
		return nil, 0, errors.New("the answer is larger than 4 MiB")
	}
	return data, resp.StatusCode, nil
}
