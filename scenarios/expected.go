package scenarios

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// ExpectedFailure is a known deviation of the target: a check that may fail (or error)
// without failing the run. It stays in the report, marked with its reason.
type ExpectedFailure struct {
	ID     string `yaml:"id"`
	Reason string `yaml:"reason"`
	// File is the expected-failures file that lists the entry, set by
	// [LoadExpectedFailures]; the report names it when the entry is stale.
	File string `yaml:"-"`
}

// LoadExpectedFailures reads an expected-failures file: a YAML list of {id, reason}. Every
// id must name one of known (check IDs); errors are *[ConfigError] naming the file and
// line.
func LoadExpectedFailures(path string, known []Check) ([]ExpectedFailure, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scenarios: read expected failures: %w", err)
	}
	var doc yaml.Node
	if err := decodeYAML(path, data, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode {
		return nil, &ConfigError{File: path, Line: list.Line,
			Msg: "want a list of {id, reason} entries"}
	}

	ids := make(map[string]bool, len(known))
	for _, c := range known {
		ids[c.ID] = true
	}
	out := make([]ExpectedFailure, 0, len(list.Content))
	for _, item := range list.Content {
		var ef ExpectedFailure
		d := &nodeDecoder{file: path, lines: map[string]int{}}
		if err := d.decode(item, reflect.ValueOf(&ef).Elem(), ""); err != nil {
			return nil, err
		}
		switch {
		case !ids[ef.ID]:
			return nil, &ConfigError{File: path, Line: item.Line, Field: "id",
				Msg: fmt.Sprintf("%q is not a check ID", ef.ID)}
		case strings.TrimSpace(ef.Reason) == "":
			return nil, &ConfigError{File: path, Line: item.Line, Field: "reason",
				Msg: "say why " + ef.ID + " is expected to fail"}
		}
		ef.File = path
		out = append(out, ef)
	}
	return out, nil
}

// MarkExpected marks the failed, warned or errored results listed in expected, and
// recounts nothing: statuses stay as they were, and Result.Failed and Report.Failed
// ignore marked results. A listed check that passed gets a [Result.Note] saying that its
// entry is stale; that changes no verdict either.
func (r *Report) MarkExpected(expected []ExpectedFailure) {
	entries := make(map[string]ExpectedFailure, len(expected))
	for _, ef := range expected {
		entries[ef.ID] = ef
	}
	for i := range r.Results {
		res := &r.Results[i]
		ef, ok := entries[res.ID]
		if !ok {
			continue
		}
		switch res.Status {
		case StatusFail, StatusWarn, StatusError:
			res.Expected = ef.Reason
		case StatusPass:
			res.Note = staleNote(ef)
		}
	}
}

// staleNote says that the check of ef passed, so its entry can go.
func staleNote(ef ExpectedFailure) string {
	file := ef.File
	if file == "" {
		file = "the expected failures"
	}
	return "expected failure " + ef.ID + " no longer fails: remove it from " + file
}
