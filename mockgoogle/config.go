package mockgoogle

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The fields of a config file, each list in the order the errors give it.
var (
	fileFields = []string{"issuer", "quirks", "users", "clients"}
	userFields = []string{"sub", "email", "email_verified", "name", "given_name", "family_name",
		"picture", "locale", "hd"}
	clientFields = []string{"client_id", "client_secret", "redirect_uris"}
	// clientAliases are the older names of client fields, still accepted.
	clientAliases = map[string]string{"id": "client_id", "secret": "client_secret"}
)

// LoadConfig reads the users, clients, issuer and quirks of a Config from a YAML file:
//
//	issuer: https://accounts.google.com   # optional; empty: the server's base URL
//	quirks: [schemeless-issuer]           # optional
//	users:                                # who can sign in; the first signs in by default
//	  - sub: "100000000000000000002"      # required, unique; quote it to keep it a string
//	    email: grace@example.com          # required
//	    email_verified: true              # optional; omitted means true
//	    name: Grace Hopper                # also given_name, family_name, picture, locale, hd
//	clients:                              # the OAuth clients accepted
//	  - client_id: my-client              # required, unique (id is an older name)
//	    client_secret: my-secret          # required (secret is an older name)
//	    redirect_uris: [http://localhost:3000/login]  # optional; empty: any on loopback
//
// The file must list at least one user or client; the one it leaves out keeps its default.
// Unknown fields are refused. Errors wrap ErrInvalidConfig when the file is read but not
// usable, and read like "mockgoogle: users.yaml:4: users[0].emial: unknown field (known:
// sub, email, ...)".
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("mockgoogle: read config: %w", err)
	}
	cfg, err := parseConfig(path, data)
	if err != nil {
		return Config{}, fmt.Errorf("mockgoogle: %w", err)
	}
	return cfg, nil
}

// parseConfig decodes and validates a YAML config; file names it in errors.
func parseConfig(file string, data []byte) (Config, error) {
	d := &configDecoder{file: file, lines: make(map[string]int)}
	root, err := d.document(data)
	if err != nil {
		return Config{}, err
	}
	cfg, err := d.config(root)
	if err != nil {
		return Config{}, err
	}

	if len(cfg.Users) == 0 && len(cfg.Clients) == 0 {
		return Config{}, d.errorf(root, "", "lists no users and no clients: list at least "+
			"one (with no config at all, the default user and client are used)")
	}
	if err := validateConfig(cfg); err != nil {
		var fe *fieldError
		if errors.As(err, &fe) {
			fe.file, fe.line = file, d.lineOf(fe.field)
		}
		return Config{}, err
	}
	return cfg, nil
}

// configDecoder decodes a config file's YAML nodes strictly, remembering the line of every
// field it reads so that validation errors can point at it.
type configDecoder struct {
	file  string
	lines map[string]int // by field path, such as users[1].email
}

// errorf returns a *fieldError at n's line.
func (d *configDecoder) errorf(n *yaml.Node, field, format string, args ...any) error {
	return &fieldError{file: d.file, line: n.Line, field: field,
		problem: fmt.Sprintf(format, args...)}
}

// yamlLine matches the position yaml.v3 puts in its syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// document parses data into the root node of its one YAML document.
func (d *configDecoder) document(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc, extra yaml.Node
	err := dec.Decode(&doc)
	if err == nil && (len(doc.Content) == 0 || doc.Content[0].Tag == "!!null") {
		err = io.EOF
	}
	if err == nil {
		if err = dec.Decode(&extra); err == nil {
			return nil, d.errorf(&extra, "", "holds more than one YAML document")
		}
		if errors.Is(err, io.EOF) {
			return doc.Content[0], nil
		}
	}
	if errors.Is(err, io.EOF) {
		return nil, &fieldError{file: d.file, problem: "the file is empty: list users, " +
			"clients or both"}
	}
	fe := &fieldError{file: d.file, problem: strings.TrimPrefix(err.Error(), "yaml: ")}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		fe.line, _ = strconv.Atoi(m[1])
		fe.problem = strings.TrimPrefix(err.Error(), m[0])
	}
	return nil, fe
}

// config decodes the whole file.
func (d *configDecoder) config(root *yaml.Node) (Config, error) {
	var cfg Config
	err := d.fields(root, "", fileFields, nil, func(name, field string, v *yaml.Node) error {
		switch name {
		case "issuer":
			var err error
			cfg.Issuer, err = d.str(v, field)
			return err
		case "quirks":
			quirks, err := d.strs(v, field)
			for _, q := range quirks {
				cfg.Quirks = append(cfg.Quirks, Quirk(q))
			}
			return err
		case "users":
			return d.list(v, field, func(item *yaml.Node, field string) error {
				u, err := d.user(item, field)
				cfg.Users = append(cfg.Users, u)
				return err
			})
		default:
			return d.list(v, field, func(item *yaml.Node, field string) error {
				c, err := d.client(item, field)
				cfg.Clients = append(cfg.Clients, c)
				return err
			})
		}
	})
	return cfg, err
}

// user decodes one entry of users. An omitted email_verified means true.
func (d *configDecoder) user(n *yaml.Node, path string) (User, error) {
	var u userWire
	strs := map[string]*string{"sub": &u.Sub, "email": &u.Email, "name": &u.Name,
		"given_name": &u.GivenName, "family_name": &u.FamilyName, "picture": &u.Picture,
		"locale": &u.Locale, "hd": &u.HD}
	err := d.fields(n, path, userFields, nil, func(name, field string, v *yaml.Node) error {
		var err error
		if name == "email_verified" {
			u.EmailVerified = new(bool)
			*u.EmailVerified, err = d.boolean(v, field)
			return err
		}
		*strs[name], err = d.str(v, field)
		return err
	})
	return u.user(), err
}

// client decodes one entry of clients.
func (d *configDecoder) client(n *yaml.Node, path string) (Client, error) {
	var c Client
	err := d.fields(n, path, clientFields, clientAliases,
		func(name, field string, v *yaml.Node) error {
			var err error
			switch name {
			case "client_id":
				c.ID, err = d.str(v, field)
			case "client_secret":
				c.Secret, err = d.str(v, field)
			default:
				c.RedirectURIs, err = d.strs(v, field)
			}
			return err
		})
	return c, err
}

// fields walks the mapping n at path, calling set with the name (after aliases), the
// path and the value of each field. Unknown and repeated fields are refused.
func (d *configDecoder) fields(n *yaml.Node, path string, known []string,
	aliases map[string]string, set func(name, field string, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		what := "want"
		if path == "" {
			what = "the file must be"
		}
		return d.errorf(n, path, "%s a mapping of fields (known: %s)", what,
			strings.Join(known, ", "))
	}
	d.lines[path] = n.Line
	given := make(map[string]string, len(n.Content)/2) // name -> key as written
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		name := key.Value
		if alias, ok := aliases[name]; ok {
			name = alias
		}
		field := joinField(path, name)
		switch prev, repeated := given[name]; {
		case !slices.Contains(known, name):
			return d.errorf(key, joinField(path, key.Value), "unknown field (known: %s)",
				strings.Join(known, ", "))
		case repeated && prev != key.Value:
			return d.errorf(key, field, "given twice, as %s and %s", prev, key.Value)
		case repeated:
			return d.errorf(key, field, "given twice")
		case value.Kind == yaml.AliasNode:
			return d.errorf(value, field, "YAML aliases are not supported")
		}
		given[name] = key.Value
		d.lines[field] = key.Line
		if err := set(name, field, value); err != nil {
			return err
		}
	}
	return nil
}

// list walks the sequence n at path, calling item with each entry and its path. A null
// value is an empty list.
func (d *configDecoder) list(n *yaml.Node, path string,
	item func(n *yaml.Node, field string) error) error {
	if n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return d.errorf(n, path, "want a list")
	}
	for i, entry := range n.Content {
		field := fmt.Sprintf("%s[%d]", path, i)
		d.lines[field] = entry.Line
		if entry.Kind == yaml.AliasNode {
			return d.errorf(entry, field, "YAML aliases are not supported")
		}
		if err := item(entry, field); err != nil {
			return err
		}
	}
	return nil
}

// str decodes a string; null is the empty string.
func (d *configDecoder) str(n *yaml.Node, field string) (string, error) {
	switch {
	case n.Kind != yaml.ScalarNode:
		return "", d.errorf(n, field, "want a string")
	case n.Tag == "!!null":
		return "", nil
	}
	return n.Value, nil
}

// strs decodes a list of strings.
func (d *configDecoder) strs(n *yaml.Node, field string) ([]string, error) {
	var out []string
	err := d.list(n, field, func(item *yaml.Node, field string) error {
		s, err := d.str(item, field)
		out = append(out, s)
		return err
	})
	return out, err
}

// boolean decodes true or false.
func (d *configDecoder) boolean(n *yaml.Node, field string) (bool, error) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		return false, d.errorf(n, field, "want true or false, not %q", n.Value)
	}
	return b, nil
}

// lineOf returns the line of a field path such as users[1].email, or of the closest
// enclosing field read; 0 if none was.
func (d *configDecoder) lineOf(field string) int {
	for {
		if line, ok := d.lines[field]; ok {
			return line
		}
		cut := strings.LastIndexAny(field, ".[")
		if cut < 0 {
			return d.lines[""]
		}
		field = field[:cut]
	}
}

// joinField appends name to a field path.
func joinField(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
