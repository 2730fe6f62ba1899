package scenarios

import "testing"

func TestExpiryFaults(t *testing.T) {
	runFaultCases(t, []faultCase{
		{fault: "long-access", check: "expiry/access-lifetime"},
		{fault: "skewed-clock", check: "expiry/access-valid-before-exp"},
		{fault: "ignore-exp", check: "expiry/access-refused-after-exp"},
		{fault: "code-only", check: "expiry/refresh-after-expiry"},
		{fault: "long-refresh", check: "expiry/refresh-lifetime"},
	})
}
