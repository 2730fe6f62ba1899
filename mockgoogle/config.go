package mockgoogle

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// configFile is the YAML form of a Config:
//
//	issuer: https://accounts.google.com   # optional
//	quirks: [schemeless-issuer]           # optional
//	users:
//	  - sub: "100000000000000000002"
//	    email: grace@example.com
//	    name: Grace Hopper
//	clients:
//	  - id: my-client
//	    secret: my-secret
//	    redirect_uris: [http://localhost:3000/login]
type configFile struct {
	Issuer  string     `yaml:"issuer"`
	Quirks  []Quirk    `yaml:"quirks"`
	Users   []userWire `yaml:"users"`
	Clients []Client   `yaml:"clients"`
}

// LoadConfig reads the users, clients, issuer and quirks of a Config from a YAML file. An
// omitted email_verified means true. Errors name the file and, for a bad value, the line
// and the field; they wrap ErrInvalidConfig when the file parses but is not usable.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("mockgoogle: read config: %w", err)
	}
	cfg, err := parseConfig(data)
	if err != nil {
		return Config{}, fmt.Errorf("mockgoogle: config %s: %w", path, err)
	}
	return cfg, nil
}

// parseConfig decodes and validates a YAML config.
func parseConfig(data []byte) (Config, error) {
	var file configFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}

	cfg := Config{Issuer: file.Issuer, Quirks: file.Quirks, Clients: file.Clients}
	for _, u := range file.Users {
		cfg.Users = append(cfg.Users, u.user())
	}
	if err := validateConfig(cfg); err != nil {
		var fe *fieldError
		if errors.As(err, &fe) {
			var root yaml.Node
			if yaml.Unmarshal(data, &root) == nil {
				fe.line = lineOf(&root, fe.field)
			}
		}
		return Config{}, err
	}
	return cfg, nil
}

// lineOf returns the line of a field path such as users[1].email in a YAML document, or
// of the closest enclosing node that exists; 0 if none does.
func lineOf(root *yaml.Node, field string) int {
	node := root
	if node.Kind == yaml.DocumentNode && len(node.Content) > 0 {
		node = node.Content[0]
	}
	line := 0
	for _, part := range strings.Split(field, ".") {
		name, index, _ := strings.Cut(part, "[")
		if node = mappingValue(node, name); node == nil {
			return line
		}
		line = node.Line
		if index == "" {
			continue
		}
		i, err := strconv.Atoi(strings.TrimSuffix(index, "]"))
		if err != nil || node.Kind != yaml.SequenceNode || i >= len(node.Content) {
			return line
		}
		node = node.Content[i]
		line = node.Line
	}
	return line
}

// mappingValue returns the value of key in a mapping node, or nil.
func mappingValue(node *yaml.Node, key string) *yaml.Node {
	if node == nil || node.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(node.Content); i += 2 {
		if node.Content[i].Value == key {
			return node.Content[i+1]
		}
	}
	return nil
}
