package scenarios

import "testing"

func TestReuseFaults(t *testing.T) {
	runFaultCases(t, []faultCase{
		{fault: "no-blacklist", check: "reuse/rotated-refused"},
		{fault: "no-family-revoke", check: "reuse/family-revoked"},
		{fault: "logout-noop", check: "reuse/logout-revokes"},
	})
}
