package scenarios

import "testing"

func TestRotationFaults(t *testing.T) {
	runFaultCases(t, []faultCase{
		{fault: "no-rotate", check: "rotation/new-refresh-token"},
		{fault: "unsaved-rotation", check: "rotation/new-pair-works"},
		{fault: "drop-refresh", check: "rotation/response-keys"},
		{fault: "no-type-check", check: "rotation/access-not-refresh"},
		{fault: "no-type-check", check: "rotation/refresh-not-access"},
	})
}
