package scenarios

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlLine matches the line yaml.v3 puts in front of a syntax error.
var yamlLine = regexp.MustCompile(`^line (\d+): `)

// parserProblems are the syntax errors of yaml.v3's parser, as opposed to its scanner.
// yaml.v3 (v3.0.1, parser.fail) names the line of a parser error counting from 0 and the
// line of a scanner error counting from 1, and names no line it counts as 0.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// syntaxError is the *ConfigError for err, the error yaml.v3 gave decoding data, read
// from file: at the line, counted from 1, where yaml.v3 found the problem or the
// collection it was parsing. Errors that yaml.v3 gives no position, such as an unknown
// anchor, name no line.
func syntaxError(file string, data []byte, err error) *ConfigError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	switch {
	case parserProblems[msg]:
		line++
	case line == 0 && positioned(data):
		line = 1
	}
	return &ConfigError{File: file, Line: min(line, lineCount(data)), Msg: msg}
}

// positioned reports whether yaml.v3 names a line for the error in data once data is
// moved a line down, that is whether the error is one on the first line that it left
// unnamed rather than one without a position.
func positioned(data []byte) bool {
	var doc yaml.Node
	moved := io.MultiReader(strings.NewReader("#\n"), bytes.NewReader(data))
	err := yaml.NewDecoder(moved).Decode(&doc)
	return err != nil && yamlLine.MatchString(strings.TrimPrefix(err.Error(), "yaml: "))
}

// lineCount is the number of lines in data; a final newline ends the last line.
func lineCount(data []byte) int {
	n := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")) {
		n++
	}
	return n
}

// decodeYAML decodes the first YAML document of data, read from file, into doc. A
// syntax error is a *[ConfigError] at its line; an empty document is io.EOF.
func decodeYAML(file string, data []byte, doc *yaml.Node) error {
	err := yaml.NewDecoder(bytes.NewReader(data)).Decode(doc)
	if err == nil || errors.Is(err, io.EOF) {
		return err
	}
	return syntaxError(file, data, err)
}
