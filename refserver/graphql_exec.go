package refserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// object is a value of a GraphQL object type: it resolves the fields of that type. The
// schema has no interfaces or unions, so a value's type is always the field's type.
type object interface {
	// resolve returns the value of field f given its arguments: nil, a string, a bool, an
	// int64, an object, or a []any of those. An error makes the field null and is
	// reported in the answer's errors.
	resolve(x *execution, f *ast.Field, args map[string]any) (any, error)
}

// execution runs one validated operation (section 6 of the GraphQL spec): the root
// fields through the resolvers, one after the other, then the fields of what they answer.
type execution struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	schema *ast.Schema
	doc    *ast.QueryDocument
	op     *ast.OperationDefinition
	vars   map[string]any
	errs   gqlerror.List
	budget int       // fields the answer may still hold
	crash  *apiError // malformed input under crash-on-garbage: answer a debug page
}

// errAnswerTooLarge stops an execution whose answer would pass maxAnswerFields.
var errAnswerTooLarge = newRequestError(http.StatusBadRequest, codeValidationFailed,
	fmt.Sprintf("The answer would hold more than %d fields.", maxAnswerFields))

// run executes the operation and returns its data.
func (x *execution) run() (*resultObject, error) {
	root, value := x.schema.Query, object(queryRoot{})
	if x.op.Operation == ast.Mutation {
		root, value = x.schema.Mutation, mutationRoot{}
	}
	data := x.selectionSet(x.op.SelectionSet, root, value, nil)
	if x.budget < 0 {
		return nil, errAnswerTooLarge
	}
	return &data, nil
}

// selectionSet executes set on value, whose type is typ.
func (x *execution) selectionSet(set ast.SelectionSet, typ *ast.Definition, value object,
	path ast.Path) resultObject {
	fields := x.collect(set, typ.Name, &collected{index: map[string]int{}})
	out := make(resultObject, 0, len(fields.keys))
	for i, key := range fields.keys {
		x.budget--
		if x.budget < 0 {
			return out
		}
		fpath := slices.Concat(path, ast.Path{ast.PathName(key)})
		out = append(out, resultField{key: key,
			value: x.field(fields.fields[i], typ, value, fpath)})
	}
	return out
}

// field resolves one response key; fs are the fields the selection set asks under it,
// which validation made sure are the same field with the same arguments.
func (x *execution) field(fs []*ast.Field, typ *ast.Definition, value object,
	path ast.Path) any {
	f := fs[0]
	if f.Name == "__typename" {
		return typ.Name
	}
	args, err := x.arguments(f)
	var v any
	if err == nil {
		v, err = value.resolve(x, f, args)
	}
	if err != nil {
		x.fieldError(f, path, err)
		return nil
	}

	var set ast.SelectionSet
	for _, f := range fs {
		set = append(set, f.SelectionSet...)
	}
	return x.complete(f.Definition.Type, set, v, path)
}

// complete turns a resolved value into its answer: lists item by item, objects through
// their selection set, scalars as they are.
func (x *execution) complete(t *ast.Type, set ast.SelectionSet, v any, path ast.Path) any {
	if v == nil {
		return nil
	}
	if t.Elem != nil {
		items, _ := v.([]any)
		out := make([]any, len(items))
		for i, item := range items {
			out[i] = x.complete(t.Elem, set, item, slices.Concat(path, ast.Path{ast.PathIndex(i)}))
		}
		return out
	}
	obj, ok := v.(object)
	if !ok {
		return v
	}
	return x.selectionSet(set, x.schema.Types[t.NamedType], obj, path)
}

// collected are the fields of a selection set by response key, in the order the keys
// first appear.
type collected struct {
	keys      []string
	fields    [][]*ast.Field
	index     map[string]int
	fragments []string // fragments already spread
}

// collect gathers the fields of set that apply to an object of type typeName, following
// fragments and honouring @skip and @include (the spec's CollectFields).
func (x *execution) collect(set ast.SelectionSet, typeName string, c *collected) *collected {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if !x.included(sel.Directives) {
				continue
			}
			if i, ok := c.index[sel.Alias]; ok {
				c.fields[i] = append(c.fields[i], sel)
				continue
			}
			c.index[sel.Alias] = len(c.keys)
			c.keys = append(c.keys, sel.Alias)
			c.fields = append(c.fields, []*ast.Field{sel})
		case *ast.InlineFragment:
			if x.included(sel.Directives) && applies(sel.TypeCondition, typeName) {
				x.collect(sel.SelectionSet, typeName, c)
			}
		case *ast.FragmentSpread:
			frag := x.doc.Fragments.ForName(sel.Name)
			if frag == nil || slices.Contains(c.fragments, sel.Name) ||
				!x.included(sel.Directives) || !applies(frag.TypeCondition, typeName) {
				continue
			}
			c.fragments = append(c.fragments, sel.Name)
			x.collect(frag.SelectionSet, typeName, c)
		}
	}
	return c
}

// applies reports whether a fragment with the type condition cond applies to an object
// of type typeName. Without interfaces or unions, only the type itself matches.
func applies(cond, typeName string) bool { return cond == "" || cond == typeName }

// included applies @skip and @include.
func (x *execution) included(ds ast.DirectiveList) bool {
	if d := ds.ForName("skip"); d != nil && x.directiveIf(d) {
		return false
	}
	if d := ds.ForName("include"); d != nil && !x.directiveIf(d) {
		return false
	}
	return true
}

// directiveIf evaluates a directive's "if" argument.
func (x *execution) directiveIf(d *ast.Directive) bool {
	arg := d.Arguments.ForName("if")
	if arg == nil {
		return false
	}
	v, err := arg.Value.Value(x.vars)
	b, _ := v.(bool)
	return err == nil && b
}

// arguments evaluates f's arguments with the operation's variables; an argument whose
// variable was not given is left out unless it has a default.
func (x *execution) arguments(f *ast.Field) (map[string]any, error) {
	args := map[string]any{}
	for _, def := range f.Definition.Arguments {
		arg := f.Arguments.ForName(def.Name)
		val := def.DefaultValue
		if arg != nil && (arg.Value.Kind != ast.Variable || x.hasVar(arg.Value.Raw)) {
			val = arg.Value
		}
		if val == nil {
			continue
		}
		v, err := val.Value(x.vars)
		if err != nil {
			return nil, fieldError(def.Name, "Not a valid value.")
		}
		args[def.Name] = v
	}
	return args, nil
}

func (x *execution) hasVar(name string) bool {
	_, ok := x.vars[name]
	return ok
}

// fieldError records the error that made the field at path null. Refusals keep their
// status's code; anything else is a server failure, logged and reported without detail.
func (x *execution) fieldError(f *ast.Field, path ast.Path, err error) {
	ctx := x.r.Context()
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = internalError(err)
	}
	if ae.malformed && x.s.faults.on(FaultCrashOnGarbage) && x.crash == nil {
		x.crash = ae
	}
	if ae.status >= http.StatusInternalServerError {
		x.s.log.ErrorContext(ctx, "graphql field failed", "field", f.Name, "err", err)
	} else {
		x.s.log.DebugContext(ctx, "graphql field refused", "field", f.Name, "err", err)
	}

	e := codedError(graphqlCode(ae), ae.message())
	e.Path = path
	if f.Position != nil {
		e.Locations = []gqlerror.Location{{Line: f.Position.Line, Column: f.Position.Column}}
	}
	x.errs = append(x.errs, e)
}

// resultObject is an object of the answer, its fields in the order they were selected.
type resultObject []resultField

// resultField is one key of a resultObject.
type resultField struct {
	key   string
	value any
}

// MarshalJSON writes the object with its keys in order.
func (o resultObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		key, err := json.Marshal(f.key)
		if err != nil {
			return nil, err
		}
		value, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// queryDepth is how many selection sets the document's operations nest, fragments
// expanded. Validation has ruled fragment cycles out; each fragment's depth is reckoned
// once, however often it is spread.
func queryDepth(doc *ast.QueryDocument) int {
	memo := map[string]int{}
	var level func(set ast.SelectionSet) int
	level = func(set ast.SelectionSet) int {
		d := 0
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				if len(sel.SelectionSet) > 0 {
					d = max(d, 1+level(sel.SelectionSet))
				}
			case *ast.InlineFragment:
				d = max(d, level(sel.SelectionSet))
			case *ast.FragmentSpread:
				n, ok := memo[sel.Name]
				if frag := doc.Fragments.ForName(sel.Name); !ok && frag != nil {
					memo[sel.Name] = 0
					n = level(frag.SelectionSet)
					memo[sel.Name] = n
				}
				d = max(d, n)
			}
		}
		return d
	}
	depth := 0
	for _, op := range doc.Operations {
		depth = max(depth, 1+level(op.SelectionSet))
	}
	return depth
}
