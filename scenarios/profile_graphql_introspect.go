package scenarios

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/validator"
)

// introspectionQuery asks for what validating operations needs: types, fields,
// arguments and directives, with type references seven wrappers deep.
const introspectionQuery = `query AuthprobeIntrospection {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types {
      kind
      name
      fields(includeDeprecated: true) { name args { ...Value } type { ...Ref } }
      inputFields { ...Value }
      interfaces { name }
      enumValues(includeDeprecated: true) { name }
      possibleTypes { name }
    }
    directives { name isRepeatable locations args { ...Value } }
  }
}
fragment Value on __InputValue { name defaultValue type { ...Ref } }
fragment Ref on __Type {
  kind name ofType { kind name ofType { kind name ofType { kind name ofType {
    kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`

// introspection is the data of an introspection answer.
type introspection struct {
	Schema struct {
		QueryType        *introName       `json:"queryType"`
		MutationType     *introName       `json:"mutationType"`
		SubscriptionType *introName       `json:"subscriptionType"`
		Types            []introType      `json:"types"`
		Directives       []introDirective `json:"directives"`
	} `json:"__schema"`
}

type introName struct {
	Name string `json:"name"`
}

type introType struct {
	Kind          string       `json:"kind"`
	Name          string       `json:"name"`
	Fields        []introField `json:"fields"`
	InputFields   []introValue `json:"inputFields"`
	Interfaces    []introName  `json:"interfaces"`
	EnumValues    []introName  `json:"enumValues"`
	PossibleTypes []introName  `json:"possibleTypes"`
}

type introField struct {
	Name string       `json:"name"`
	Args []introValue `json:"args"`
	Type introRef     `json:"type"`
}

type introValue struct {
	Name         string   `json:"name"`
	DefaultValue *string  `json:"defaultValue"`
	Type         introRef `json:"type"`
}

type introRef struct {
	Kind   string    `json:"kind"`
	Name   string    `json:"name"`
	OfType *introRef `json:"ofType"`
}

type introDirective struct {
	Name         string       `json:"name"`
	IsRepeatable bool         `json:"isRepeatable"`
	Locations    []string     `json:"locations"`
	Args         []introValue `json:"args"`
}

// graphqlName matches a GraphQL name; anything else in an answer is refused.
var graphqlName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]*$`)

// sdl writes the schema as SDL, leaving out what gqlparser's prelude declares: the
// built-in scalars, directives and introspection types.
func (in *introspection) sdl() (string, error) {
	s := in.Schema
	w := &sdlWriter{}
	w.printf("schema {\n  query: %s\n", w.name(s.QueryType.Name))
	if s.MutationType != nil {
		w.printf("  mutation: %s\n", w.name(s.MutationType.Name))
	}
	if s.SubscriptionType != nil {
		w.printf("  subscription: %s\n", w.name(s.SubscriptionType.Name))
	}
	w.printf("}\n")

	prelude := validator.PreludeDocument()
	for _, t := range s.Types {
		if strings.HasPrefix(t.Name, "__") || prelude.Definitions.ForName(t.Name) != nil {
			continue
		}
		w.typ(t)
	}
	for _, d := range s.Directives {
		if prelude.Directives.ForName(d.Name) != nil {
			continue
		}
		w.printf("directive @%s%s", w.name(d.Name), w.args(d.Args))
		if d.IsRepeatable {
			w.printf(" repeatable")
		}
		w.printf(" on %s\n", strings.Join(w.names(d.Locations), " | "))
	}
	return w.b.String(), w.err
}

// sdlWriter writes SDL, remembering the first name that is not a GraphQL name.
type sdlWriter struct {
	b   strings.Builder
	err error
}

func (w *sdlWriter) printf(format string, args ...any) { fmt.Fprintf(&w.b, format, args...) }

// name returns n, noting an error when it is not a GraphQL name.
func (w *sdlWriter) name(n string) string {
	if !graphqlName.MatchString(n) && w.err == nil {
		w.err = fmt.Errorf("the introspection answer names a type, field or value %q", n)
	}
	return n
}

func (w *sdlWriter) names(ns []string) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = w.name(n)
	}
	return out
}

// typ writes one type definition.
func (w *sdlWriter) typ(t introType) {
	name := w.name(t.Name)
	switch t.Kind {
	case "SCALAR":
		w.printf("scalar %s\n", name)
	case "OBJECT", "INTERFACE":
		w.printf("%s %s%s {\n", map[string]string{"OBJECT": "type",
			"INTERFACE": "interface"}[t.Kind], name, w.implements(t.Interfaces))
		for _, f := range t.Fields {
			w.printf("  %s%s: %s\n", w.name(f.Name), w.args(f.Args), w.ref(f.Type))
		}
		w.printf("}\n")
	case "UNION":
		members := make([]string, len(t.PossibleTypes))
		for i, m := range t.PossibleTypes {
			members[i] = w.name(m.Name)
		}
		w.printf("union %s = %s\n", name, strings.Join(members, " | "))
	case "ENUM":
		w.printf("enum %s {\n", name)
		for _, v := range t.EnumValues {
			w.printf("  %s\n", w.name(v.Name))
		}
		w.printf("}\n")
	case "INPUT_OBJECT":
		w.printf("input %s {\n", name)
		for _, f := range t.InputFields {
			w.printf("  %s\n", w.value(f))
		}
		w.printf("}\n")
	default:
		if w.err == nil {
			w.err = fmt.Errorf("the introspection answer has type %s of kind %q", name, t.Kind)
		}
	}
}

func (w *sdlWriter) implements(ifaces []introName) string {
	if len(ifaces) == 0 {
		return ""
	}
	names := make([]string, len(ifaces))
	for i, n := range ifaces {
		names[i] = w.name(n.Name)
	}
	return " implements " + strings.Join(names, " & ")
}

// args writes an argument list, or nothing when there are no arguments.
func (w *sdlWriter) args(args []introValue) string {
	if len(args) == 0 {
		return ""
	}
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = w.value(a)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// value writes an argument or input field with its default.
func (w *sdlWriter) value(v introValue) string {
	s := w.name(v.Name) + ": " + w.ref(v.Type)
	if v.DefaultValue != nil {
		s += " = " + *v.DefaultValue
	}
	return s
}

// ref writes a type reference such as [String!]!.
func (w *sdlWriter) ref(r introRef) string {
	switch {
	case r.Kind == "NON_NULL" && r.OfType != nil:
		return w.ref(*r.OfType) + "!"
	case r.Kind == "LIST" && r.OfType != nil:
		return "[" + w.ref(*r.OfType) + "]"
	case slices.Contains([]string{"NON_NULL", "LIST"}, r.Kind):
		if w.err == nil {
			w.err = fmt.Errorf("the introspection answer nests type references deeper " +
				"than authprobe asks")
		}
		return "String"
	}
	return w.name(r.Name)
}
