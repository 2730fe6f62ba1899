package scenarios

import "testing"

func TestSessionFaults(t *testing.T) {
	runFaultCases(t, []faultCase{
		{fault: "skewed-clock", check: "session/user-with-token"},
		{fault: "anonymous-user", check: "session/user-without-token"},
		{fault: "crash-on-garbage", check: "session/garbage-token"},
	})
}
