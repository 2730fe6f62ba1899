package scenarios

import (
	"slices"
	"testing"
)

// restOnlyFaults are refserver's faults in what only its REST endpoints do; the GraphQL
// runs of the fault tables leave them out.
var restOnlyFaults = []string{"code-only", "json-only", "simplejwt-keys"}

// graphqlOf is the graphql built-in profile for the refserver rest is a profile of:
// the same base URL, key, clock, Google client and expectations.
func graphqlOf(rest *Profile) *Profile {
	p := graphqlProfile()
	p.BaseURL, p.SigningKey, p.ClockURL = rest.BaseURL, rest.SigningKey, rest.ClockURL
	p.Google, p.Expect = rest.Google, rest.Expect
	return p
}

// newGraphQLTarget is newTarget checked through refserver's GraphQL API.
func newGraphQLTarget(t testing.TB, faults ...string) *testTarget {
	t.Helper()
	tgt := newTarget(t, faults...)
	tgt.Profile = graphqlOf(tgt.Profile)
	return tgt
}

// graphqlApplies reports whether a fault case also holds over GraphQL: its fault bends
// the GraphQL API too, and its check runs there.
func graphqlApplies(tc faultCase) bool {
	return !slices.Contains(restOnlyFaults, tc.fault) &&
		notApplicable(Check{ID: tc.check}, graphqlProfile()) == ""
}
