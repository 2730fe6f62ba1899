package refserver

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Introspection (section 4 of the GraphQL spec): __schema and __type answer the schema
// refserver serves, so that clients can read it without the SDL file.

// introSchema is a __Schema.
type introSchema struct{ schema *ast.Schema }

func (s introSchema) resolve(_ *execution, f *ast.Field, _ map[string]any) (any, error) {
	switch f.Name {
	case "description":
		return nullable(s.schema.Description), nil
	case "types":
		names := slices.Sorted(maps.Keys(s.schema.Types))
		types := make([]any, len(names))
		for i, name := range names {
			types[i] = introType{schema: s.schema, def: s.schema.Types[name]}
		}
		return types, nil
	case "queryType":
		return s.root(s.schema.Query), nil
	case "mutationType":
		return s.root(s.schema.Mutation), nil
	case "subscriptionType":
		return s.root(s.schema.Subscription), nil
	case "directives":
		names := slices.Sorted(maps.Keys(s.schema.Directives))
		dirs := make([]any, len(names))
		for i, name := range names {
			dirs[i] = introDirective{schema: s.schema, def: s.schema.Directives[name]}
		}
		return dirs, nil
	}
	return nil, unknownField("__Schema", f)
}

// root is a root operation type, or nil when the schema has none.
func (s introSchema) root(def *ast.Definition) any {
	if def == nil {
		return nil
	}
	return introType{schema: s.schema, def: def}
}

// introType is a __Type: a named type (def), or a list or non-null wrapper of another.
type introType struct {
	schema  *ast.Schema
	def     *ast.Definition
	wrapper string    // "LIST" or "NON_NULL" when def is nil
	of      *ast.Type // what the wrapper wraps
}

// typeRef is the __Type of a type reference such as [String!]!.
func typeRef(s *ast.Schema, t *ast.Type) introType {
	switch {
	case t.NonNull:
		inner := *t
		inner.NonNull = false
		return introType{schema: s, wrapper: "NON_NULL", of: &inner}
	case t.Elem != nil:
		return introType{schema: s, wrapper: "LIST", of: t.Elem}
	}
	return introType{schema: s, def: s.Types[t.NamedType]}
}

func (t introType) resolve(_ *execution, f *ast.Field, args map[string]any) (any, error) {
	if t.def == nil {
		switch f.Name {
		case "kind":
			return t.wrapper, nil
		case "ofType":
			return typeRef(t.schema, t.of), nil
		}
		return nil, nil
	}
	d := t.def
	deprecated, _ := args["includeDeprecated"].(bool)
	switch f.Name {
	case "kind":
		return string(d.Kind), nil
	case "name":
		return d.Name, nil
	case "description":
		return nullable(d.Description), nil
	case "fields":
		return t.fields(deprecated), nil
	case "interfaces":
		return t.named(d.Interfaces, d.Kind == ast.Object || d.Kind == ast.Interface), nil
	case "possibleTypes":
		return t.possibleTypes(), nil
	case "enumValues":
		return t.enumValues(deprecated), nil
	case "inputFields":
		return t.inputFields(), nil
	case "isOneOf":
		if d.Kind != ast.InputObject {
			return nil, nil
		}
		return d.Directives.ForName("oneOf") != nil, nil
	}
	return nil, nil // specifiedByURL, ofType: none for a named type
}

// fields are an object's or interface's fields, introspection's own left out.
func (t introType) fields(includeDeprecated bool) any {
	if t.def.Kind != ast.Object && t.def.Kind != ast.Interface {
		return nil
	}
	out := []any{}
	for _, fd := range t.def.Fields {
		dep, _ := deprecation(fd.Directives)
		if strings.HasPrefix(fd.Name, "__") || dep && !includeDeprecated {
			continue
		}
		out = append(out, introField{schema: t.schema, def: fd})
	}
	return out
}

// named lists the named types as __Types, or nil when the list does not apply.
func (t introType) named(names []string, applies bool) any {
	if !applies {
		return nil
	}
	out := make([]any, 0, len(names))
	for _, name := range names {
		if def := t.schema.Types[name]; def != nil {
			out = append(out, introType{schema: t.schema, def: def})
		}
	}
	return out
}

// possibleTypes are the object types of an interface or union.
func (t introType) possibleTypes() any {
	if !t.def.IsAbstractType() {
		return nil
	}
	defs := t.schema.GetPossibleTypes(t.def)
	out := make([]any, len(defs))
	for i, def := range slices.SortedFunc(slices.Values(defs), byName) {
		out[i] = introType{schema: t.schema, def: def}
	}
	return out
}

func byName(a, b *ast.Definition) int { return cmp.Compare(a.Name, b.Name) }

// enumValues are an enum's values.
func (t introType) enumValues(includeDeprecated bool) any {
	if t.def.Kind != ast.Enum {
		return nil
	}
	out := []any{}
	for _, v := range t.def.EnumValues {
		if dep, _ := deprecation(v.Directives); !dep || includeDeprecated {
			out = append(out, introEnumValue{v})
		}
	}
	return out
}

// inputFields are an input object's fields.
func (t introType) inputFields() any {
	if t.def.Kind != ast.InputObject {
		return nil
	}
	out := make([]any, len(t.def.Fields))
	for i, fd := range t.def.Fields {
		out[i] = introInputValue{schema: t.schema, name: fd.Name, description: fd.Description,
			typ: fd.Type, defaultValue: fd.DefaultValue, directives: fd.Directives}
	}
	return out
}

// introField is a __Field.
type introField struct {
	schema *ast.Schema
	def    *ast.FieldDefinition
}

func (f introField) resolve(_ *execution, fld *ast.Field, _ map[string]any) (any, error) {
	switch fld.Name {
	case "name":
		return f.def.Name, nil
	case "description":
		return nullable(f.def.Description), nil
	case "args":
		return inputValues(f.schema, f.def.Arguments), nil
	case "type":
		return typeRef(f.schema, f.def.Type), nil
	case "isDeprecated":
		dep, _ := deprecation(f.def.Directives)
		return dep, nil
	case "deprecationReason":
		_, reason := deprecation(f.def.Directives)
		return reason, nil
	}
	return nil, unknownField("__Field", fld)
}

// inputValues are the __InputValues of field or directive arguments.
func inputValues(s *ast.Schema, args ast.ArgumentDefinitionList) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = introInputValue{schema: s, name: a.Name, description: a.Description,
			typ: a.Type, defaultValue: a.DefaultValue, directives: a.Directives}
	}
	return out
}

// introInputValue is an __InputValue: an argument or an input object's field.
type introInputValue struct {
	schema       *ast.Schema
	name         string
	description  string
	typ          *ast.Type
	defaultValue *ast.Value
	directives   ast.DirectiveList
}

func (v introInputValue) resolve(_ *execution, f *ast.Field, _ map[string]any) (any, error) {
	switch f.Name {
	case "name":
		return v.name, nil
	case "description":
		return nullable(v.description), nil
	case "type":
		return typeRef(v.schema, v.typ), nil
	case "defaultValue":
		if v.defaultValue == nil {
			return nil, nil
		}
		return v.defaultValue.String(), nil
	case "isDeprecated":
		dep, _ := deprecation(v.directives)
		return dep, nil
	case "deprecationReason":
		_, reason := deprecation(v.directives)
		return reason, nil
	}
	return nil, unknownField("__InputValue", f)
}

// introEnumValue is an __EnumValue.
type introEnumValue struct{ def *ast.EnumValueDefinition }

func (v introEnumValue) resolve(_ *execution, f *ast.Field, _ map[string]any) (any, error) {
	switch f.Name {
	case "name":
		return v.def.Name, nil
	case "description":
		return nullable(v.def.Description), nil
	case "isDeprecated":
		dep, _ := deprecation(v.def.Directives)
		return dep, nil
	case "deprecationReason":
		_, reason := deprecation(v.def.Directives)
		return reason, nil
	}
	return nil, unknownField("__EnumValue", f)
}

// introDirective is a __Directive.
type introDirective struct {
	schema *ast.Schema
	def    *ast.DirectiveDefinition
}

func (d introDirective) resolve(_ *execution, f *ast.Field, _ map[string]any) (any, error) {
	switch f.Name {
	case "name":
		return d.def.Name, nil
	case "description":
		return nullable(d.def.Description), nil
	case "isRepeatable":
		return d.def.IsRepeatable, nil
	case "locations":
		locs := make([]any, len(d.def.Locations))
		for i, l := range d.def.Locations {
			locs[i] = string(l)
		}
		return locs, nil
	case "args":
		return inputValues(d.schema, d.def.Arguments), nil
	}
	return nil, unknownField("__Directive", f)
}

// deprecation reads @deprecated: whether it is there, and its reason (nil when not).
func deprecation(ds ast.DirectiveList) (bool, any) {
	d := ds.ForName("deprecated")
	if d == nil {
		return false, nil
	}
	if arg := d.Arguments.ForName("reason"); arg != nil && arg.Value != nil {
		return true, arg.Value.Raw
	}
	return true, "No longer supported"
}

// nullable is s, or nil for an empty string.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
