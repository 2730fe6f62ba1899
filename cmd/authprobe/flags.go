package main

import (
	"fmt"
	"slices"
	"strings"
)

// choiceValue is a string flag limited to a set of values, refused at parse time
// otherwise. It implements pflag.Value.
type choiceValue struct {
	value   *string
	choices []string
}

// newChoiceValue binds a flag to p, starting at def, accepting only choices.
func newChoiceValue(p *string, def string, choices ...string) *choiceValue {
	*p = def
	return &choiceValue{value: p, choices: choices}
}

func (c *choiceValue) String() string { return *c.value }

func (c *choiceValue) Set(s string) error {
	if !slices.Contains(c.choices, s) {
		return fmt.Errorf("want one of %s", strings.Join(c.choices, ", "))
	}
	*c.value = s
	return nil
}

func (c *choiceValue) Type() string { return strings.Join(c.choices, "|") }
