package scenarios

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// validateGraphQL checks the transport and, for GraphQL, what can be checked without the
// target: the endpoint, that each operation parses, its placeholders and its paths; and,
// when the schema is a file, every operation against that schema.
func (p *Profile) validateGraphQL(loc locator) error {
	switch {
	case p.Transport != "" && p.Transport != TransportREST && p.Transport != TransportGraphQL:
		return loc.errorf("transport", 0, "%q is not %s or %s", p.Transport, TransportREST,
			TransportGraphQL)
	case p.Transport != TransportGraphQL && p.GraphQL != nil:
		return loc.errorf("graphql", 0, "is used only with transport: graphql")
	case p.Transport != TransportGraphQL:
		return nil
	case p.GraphQL == nil:
		return loc.errorf("graphql", 0, "is required with transport: graphql")
	}
	g := p.GraphQL
	if !strings.HasPrefix(g.Endpoint, "/") {
		return loc.errorf("graphql.endpoint", 0, "want a path starting with /, not %q",
			g.Endpoint)
	}
	for _, name := range g.operationNames() {
		if _, err := parseOperation(loc, name, g.operations()[name]); err != nil {
			return err
		}
	}
	if g.Schema == "" || isURL(g.Schema) {
		return nil
	}
	schema, err := readSchemaFile(loc, g.Schema)
	if err != nil {
		return err
	}
	return g.validateAgainst(schema, loc)
}

// parsedOperation is a profile's operation, parsed.
type parsedOperation struct {
	name  string // login, refresh, user or logout
	field string // its field in the profile, such as graphql.login
	op    *Operation
	doc   *ast.QueryDocument
	def   *ast.OperationDefinition
}

// parseOperation parses an operation of the profile and checks what needs no schema.
func parseOperation(loc locator, name string, op *Operation) (*parsedOperation, error) {
	po := &parsedOperation{name: name, field: "graphql." + name, op: op}
	if strings.TrimSpace(op.Document) == "" {
		return nil, loc.errorf(po.field+".document", 0, "is required")
	}
	doc, err := parser.ParseQuery(&ast.Source{Name: name, Input: op.Document})
	if err != nil {
		return nil, po.documentError(loc, err)
	}
	if len(doc.Operations) != 1 {
		return nil, loc.errorf(po.field+".document", 0, "holds %d operations; want "+
			"exactly one", len(doc.Operations))
	}
	po.doc, po.def = doc, doc.Operations[0]
	if err := po.checkVariables(loc); err != nil {
		return nil, err
	}
	return po, po.checkPaths(loc)
}

// documentError places a gqlparser error in the operation's document: the profile line
// is the document's line plus the error's line within it.
func (po *parsedOperation) documentError(loc locator, err error) *ConfigError {
	var gerr *gqlerror.Error
	if !errors.As(err, &gerr) || len(gerr.Locations) == 0 {
		return loc.errorf(po.field+".document", 0, "operation %s: %v", po.name, err)
	}
	at := gerr.Locations[0]
	return loc.errorf(po.field+".document", at.Line-1, "operation %s, line %d, column %d: %s",
		po.name, at.Line, at.Column, gerr.Message)
}

// requiredPlaceholders are the placeholders an operation cannot do without.
var requiredPlaceholders = map[string]string{opLogin: "{code}", opRefresh: "{refresh_token}"}

// checkVariables refuses unknown placeholders and requires the operation's own.
func (po *parsedOperation) checkVariables(loc locator) error {
	used := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(po.op.Variables)) {
		field := po.field + ".variables." + name
		for _, ph := range placeholdersIn(po.op.Variables[name]) {
			if !slices.Contains(Placeholders, ph) {
				return loc.errorf(field, 0, "unknown placeholder %s (known: %s)", ph,
					strings.Join(Placeholders, ", "))
			}
			used[ph] = true
		}
	}
	if ph := requiredPlaceholders[po.name]; ph != "" && !used[ph] {
		return loc.errorf(po.field+".variables", 0, "no variable carries %s: set one, "+
			"such as {%s: %q}", ph, strings.Trim(ph, "{}"), ph)
	}
	return nil
}

// placeholdersIn returns the strings in v (a variable's value, walked through maps and
// lists) that look like placeholders: a name in braces.
func placeholdersIn(v any) []string {
	switch v := v.(type) {
	case string:
		name, ok := strings.CutPrefix(v, "{")
		if ok && strings.HasSuffix(name, "}") && !strings.ContainsAny(name, " {:\"") {
			return []string{v}
		}
	case map[string]any:
		var out []string
		for _, k := range slices.Sorted(maps.Keys(v)) {
			out = append(out, placeholdersIn(v[k])...)
		}
		return out
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, placeholdersIn(x)...)
		}
		return out
	}
	return nil
}

// checkPaths requires the token paths of login and refresh, and that every path names
// fields the operation selects.
func (po *parsedOperation) checkPaths(loc locator) error {
	paths := []struct{ key, path string }{
		{"access", po.op.Paths.Access}, {"refresh", po.op.Paths.Refresh},
		{"result", po.op.Paths.Result},
	}
	for _, pp := range paths {
		field := po.field + ".paths." + pp.key
		needed := pp.key != "result" && (po.name == opLogin || po.name == opRefresh)
		switch {
		case pp.path == "" && needed:
			return loc.errorf(field, 0, "is required: the dotted path of the %s token in "+
				"the answer, such as data.%s.%sToken", pp.key, rootKey(po.def), pp.key)
		case pp.path == "":
			continue
		}
		if msg := po.selects(pp.path); msg != "" {
			return loc.errorf(field, 0, "%s", msg)
		}
	}
	return nil
}

// selects says why path does not name fields the operation selects, or returns "".
func (po *parsedOperation) selects(path string) string {
	parts := strings.Split(path, ".")
	if parts[0] != "data" || len(parts) < 2 {
		return fmt.Sprintf("%q must start with data. and name a field", path)
	}
	set := po.def.SelectionSet
	for i, key := range parts[1:] {
		keys := responseKeys(po.doc, set)
		sub, ok := keys[key]
		if !ok {
			return fmt.Sprintf("%q: the operation selects no %s under %s (it selects %s)",
				path, key, strings.Join(parts[:i+1], "."),
				strings.Join(slices.Sorted(maps.Keys(keys)), ", "))
		}
		set = sub
	}
	return ""
}

// responseKeys maps the response keys of a selection set, fragments followed, to their
// selection sets.
func responseKeys(doc *ast.QueryDocument, set ast.SelectionSet) map[string]ast.SelectionSet {
	keys := map[string]ast.SelectionSet{}
	var walk func(set ast.SelectionSet, seen []string)
	walk = func(set ast.SelectionSet, seen []string) {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				keys[sel.Alias] = append(keys[sel.Alias], sel.SelectionSet...)
			case *ast.InlineFragment:
				walk(sel.SelectionSet, seen)
			case *ast.FragmentSpread:
				frag := doc.Fragments.ForName(sel.Name)
				if frag != nil && !slices.Contains(seen, sel.Name) {
					walk(frag.SelectionSet, append(seen, sel.Name))
				}
			}
		}
	}
	walk(set, nil)
	return keys
}

// rootKey is the response key of the operation's first field, "" when it has none.
func rootKey(def *ast.OperationDefinition) string {
	for _, sel := range def.SelectionSet {
		if f, ok := sel.(*ast.Field); ok {
			return f.Alias
		}
	}
	return ""
}

// validateAgainst validates every operation against schema, and its variables against
// the operation's declarations.
func (g *GraphQL) validateAgainst(schema *ast.Schema, loc locator) error {
	for _, name := range g.operationNames() {
		po, err := parseOperation(loc, name, g.operations()[name])
		if err != nil {
			return err
		}
		if errs := validator.ValidateWithRules(schema, po.doc, nil); len(errs) > 0 {
			return po.documentError(loc, errs[0])
		}
		if err := po.checkDeclared(loc, schema); err != nil {
			return err
		}
	}
	return nil
}

// checkDeclared requires every variable the profile sets to be declared, and the values
// the profile gives (placeholders standing for strings) to fit the declarations.
func (po *parsedOperation) checkDeclared(loc locator, schema *ast.Schema) error {
	var declared []string
	for _, vd := range po.def.VariableDefinitions {
		declared = append(declared, "$"+vd.Variable)
	}
	for _, name := range slices.Sorted(maps.Keys(po.op.Variables)) {
		if po.def.VariableDefinitions.ForName(name) == nil {
			return loc.errorf(po.field+".variables."+name, 0, "operation %s declares no $%s "+
				"(it declares %s)", po.name, name, orNone(declared))
		}
	}

	samples := map[string]string{}
	for _, ph := range Placeholders {
		samples[ph] = "authprobe-sample"
	}
	sample, _ := substitute(po.op.Variables, samples).(map[string]any)
	_, err := validator.VariableValues(schema, po.def, sample)
	var gerr *gqlerror.Error
	if err == nil || !errors.As(err, &gerr) || len(gerr.Path) < 2 {
		return err
	}
	name := ast.Path{gerr.Path[1]}.String()
	msg := gerr.Message
	if _, ok := po.op.Variables[name]; ok {
		return loc.errorf(po.field+".variables."+name, 0, "operation %s: variable $%s %s",
			po.name, name, msg)
	}
	vd := po.def.VariableDefinitions.ForName(name)
	return po.documentError(loc, &gqlerror.Error{Message: fmt.Sprintf("variable $%s %s: "+
		"the profile's variables do not set it", name, msg),
		Locations: []gqlerror.Location{{Line: vd.Position.Line, Column: vd.Position.Column}}})
}

// orNone joins names, or says none.
func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
