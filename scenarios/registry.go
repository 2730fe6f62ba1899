package scenarios

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// suites lists every suite's checks in the order reports show them. A new suite adds its
// constructor here (see the package documentation).
var suites = []func() []Check{
	exchangeChecks,
	sessionChecks,
	expiryChecks,
	rotationChecks,
	reuseChecks,
	raceChecks,
	cookieChecks,
	tokenChecks,
	errorChecks,
}

// Checks returns every registered check, in report order.
func Checks() []Check {
	var all []Check
	for _, suite := range suites {
		all = append(all, suite()...)
	}
	return all
}

// Suites returns the names of the registered suites, in report order.
func Suites() []string {
	var names []string
	for _, c := range Checks() {
		if !slices.Contains(names, c.Suite()) {
			names = append(names, c.Suite())
		}
	}
	return names
}

// Select returns the checks of the named suites (all when suites is empty) whose IDs match
// run (all when run is nil). It fails when a suite is unknown or nothing is selected.
func Select(checks []Check, suites []string, run *regexp.Regexp) ([]Check, error) {
	known := make(map[string]bool)
	for _, c := range checks {
		known[c.Suite()] = true
	}
	for _, s := range suites {
		if !known[s] {
			return nil, fmt.Errorf("scenarios: unknown suite %q (known: %s)", s,
				strings.Join(Suites(), ", "))
		}
	}

	var out []Check
	for _, c := range checks {
		if len(suites) > 0 && !slices.Contains(suites, c.Suite()) {
			continue
		}
		if run != nil && !run.MatchString(c.ID) {
			continue
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("scenarios: no check matches the selection")
	}
	return out, nil
}
