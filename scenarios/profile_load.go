package scenarios

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// ConfigError is a profile (or expected-failures file) that cannot be used, with where and
// why. File is the path, or the profile's name in parentheses for a built-in one; Line is 0
// when unknown; Field is the dotted path, such as "expect.access_ttl".
type ConfigError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *ConfigError) Error() string {
	var where string
	switch {
	case e.File != "" && e.Line > 0:
		where = fmt.Sprintf("%s:%d: ", e.File, e.Line)
	case e.File != "":
		where = e.File + ": "
	}
	if e.Field == "" {
		return "scenarios: " + where + e.Msg
	}
	return "scenarios: " + where + e.Field + ": " + e.Msg
}

// LoadProfile returns the built-in profile called nameOrPath, or else reads the profile
// file at that path. Errors are *[ConfigError] for bad content.
func LoadProfile(nameOrPath string) (*Profile, error) {
	if p, ok := BuiltinProfile(nameOrPath); ok {
		return p, nil
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(nameOrPath, `/\.`) {
			return nil, &ConfigError{Msg: fmt.Sprintf("%q is neither a file nor a built-in "+
				"profile (%s)", nameOrPath, strings.Join(BuiltinProfiles(), ", "))}
		}
		return nil, fmt.Errorf("scenarios: read profile: %w", err)
	}
	return ParseProfile(nameOrPath, data)
}

// ParseProfile decodes a profile from YAML. file names the source in errors. Fields left
// out keep the values of the nuxt-drf profile; unknown fields are refused. The result is
// validated; errors are *[ConfigError] naming the file, line and field.
func ParseProfile(file string, data []byte) (*Profile, error) {
	var doc yaml.Node
	if err := decodeYAML(file, data, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ConfigError{File: file, Msg: "the file is empty"}
		}
		return nil, err
	}

	p := defaultProfile()
	p.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	d := &nodeDecoder{file: file, lines: map[string]int{"": 1}}
	if err := d.decode(doc.Content[0], reflect.ValueOf(p).Elem(), ""); err != nil {
		return nil, err
	}
	p.source = locator{file: file, lines: d.lines}
	p.applyTransport()
	if err := p.validate(file, d.lines); err != nil {
		return nil, err
	}
	return p, nil
}

// nodeDecoder decodes a yaml.Node tree into a struct strictly, remembering the line of
// every field it sets so that validation errors can point at it.
type nodeDecoder struct {
	file  string
	lines map[string]int
}

func (d *nodeDecoder) errorf(n *yaml.Node, field, format string, args ...any) error {
	return &ConfigError{File: d.file, Line: n.Line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

var durationType = reflect.TypeFor[Duration]()

func (d *nodeDecoder) decode(n *yaml.Node, v reflect.Value, path string) error {
	d.lines[path] = n.Line
	if n.Kind == yaml.AliasNode {
		return d.errorf(n, path, "aliases are not supported")
	}
	switch {
	case v.Type() == durationType:
		if n.Kind != yaml.ScalarNode {
			return d.errorf(n, path, "want a duration such as 5m or 720h")
		}
		var dur Duration
		if err := parseDuration(n.Value, &dur); err != nil {
			return d.errorf(n, path, "%q is not a duration such as 5m or 720h", n.Value)
		}
		v.Set(reflect.ValueOf(dur))
		return nil
	case v.Kind() == reflect.Pointer:
		if n.Tag == "!!null" {
			v.SetZero()
			return nil
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
			if e, ok := v.Interface().(*Endpoint); ok {
				*e = Endpoint{Encoding: EncodingJSON, Field: "refresh"}
			}
		}
		return d.decode(n, v.Elem(), path)
	case v.Kind() == reflect.Struct:
		return d.decodeStruct(n, v, path)
	case v.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode {
			return d.errorf(n, path, "want a string")
		}
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			d.lines[path] = n.Line + 1 // a block's text starts below its indicator
		}
		v.SetString(n.Value)
		return nil
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		return d.decodeStrings(n, v, path)
	case v.Kind() == reflect.Map:
		return d.decodeMap(n, v, path)
	case v.Kind() == reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || parseBool(n.Value, &b) != nil {
			return d.errorf(n, path, "want true or false, not %q", n.Value)
		}
		v.SetBool(b)
		return nil
	}
	return d.errorf(n, path, "cannot decode into %s", v.Type())
}

func (d *nodeDecoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.MappingNode {
		what := "the profile"
		if path != "" {
			what = path
		}
		return d.errorf(n, path, "%s must be a mapping of fields", what)
	}
	fields := yamlFields(v.Type())
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		field := joinPath(path, key.Value)
		idx, ok := fields[key.Value]
		if !ok {
			return d.errorf(key, field, "unknown field (known here: %s)", knownFields(fields))
		}
		if seen[key.Value] {
			return d.errorf(key, field, "field given twice")
		}
		seen[key.Value] = true
		if err := d.decode(value, v.Field(idx), field); err != nil {
			return err
		}
	}
	return nil
}

// decodeStrings decodes a sequence of strings.
func (d *nodeDecoder) decodeStrings(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.SequenceNode {
		return d.errorf(n, path, "want a list of strings")
	}
	out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		if item.Kind != yaml.ScalarNode {
			return d.errorf(item, path, "want a list of strings")
		}
		out.Index(i).SetString(item.Value)
	}
	v.Set(out)
	return nil
}

// decodeMap decodes a mapping of names to any YAML values (GraphQL variables),
// remembering the line of each name.
func (d *nodeDecoder) decodeMap(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.MappingNode {
		return d.errorf(n, path, "%s must be a mapping", path)
	}
	out := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		field := joinPath(path, key.Value)
		if out.MapIndex(reflect.ValueOf(key.Value)).IsValid() {
			return d.errorf(key, field, "field given twice")
		}
		d.lines[field] = key.Line
		var x any
		if err := value.Decode(&x); err != nil {
			return d.errorf(value, field, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		}
		out.SetMapIndex(reflect.ValueOf(key.Value), reflect.ValueOf(&x).Elem())
	}
	v.Set(out)
	return nil
}

// yamlFields maps the yaml names of t's fields to their indexes.
func yamlFields(t reflect.Type) map[string]int {
	fields := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			fields[name] = i
		}
	}
	return fields
}

func knownFields(fields map[string]int) string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
