package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSuitesPassOnRefserver runs every registered check once against a fault-free
// refserver: every must-check passes, and a should-check passes or skips.
func TestSuitesPassOnRefserver(t *testing.T) {
	t.Parallel()
	tgt := newTarget(t)

	results := runChecks(t, tgt)

	for _, c := range Checks() {
		res, ok := results[c.ID]
		if !assert.True(t, ok, "no result for %s", c.ID) {
			continue
		}
		switch c.Level {
		case Must:
			assert.Equal(t, StatusPass, res.Status, describeResult(res))
		case Should:
			assert.Contains(t, []Status{StatusPass, StatusSkip}, res.Status,
				describeResult(res))
		}
	}
}
