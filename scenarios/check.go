package scenarios

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Level says what a failing check does to the run.
type Level string

// The levels of a check.
const (
	// Must checks fail the run when they fail.
	Must Level = "must"
	// Should checks only warn: their failures are reported with status warn.
	Should Level = "should"
)

// Status is the verdict of one check.
type Status string

// The verdicts a check can reach.
const (
	StatusPass  Status = "pass"
	StatusFail  Status = "fail"
	StatusWarn  Status = "warn"  // a should-level check failed
	StatusSkip  Status = "skip"  // the check does not apply, or could not wait long enough
	StatusError Status = "error" // the harness could not decide: target down, timeout, garbage
)

// Check is one conformance check. Checks are values: the registry returns fresh copies, and
// Run must be safe to call concurrently with other checks (see [Check.Timed] and
// [Check.Exclusive] for the ones the runner keeps apart).
type Check struct {
	// ID is "suite/name", e.g. "rotation/new-refresh-token".
	ID string
	// Level is Must or Should.
	Level Level
	// Title says in a few words what the check holds the target to.
	Title string
	// Timed marks checks that move the target's clock (or wait real time for it when the
	// target has no test clock). With a test clock they run one at a time after the
	// concurrent phase; without one they wait side by side, bounded by the run's MaxWait.
	Timed bool
	// Exclusive marks checks that change shared state in a way other checks could see,
	// such as mockgoogle faults not scoped to one code. They run one at a time, after the
	// concurrent phase.
	Exclusive bool
	// Run performs the check. It returns a Result made with [Pass], [Fail], [Skip] or
	// [Errored]; the runner fills in the ID, level, evidence and duration.
	Run func(ctx context.Context, env *Env) Result
}

// Suite returns the suite part of the check's ID.
func (c Check) Suite() string {
	suite, _, _ := strings.Cut(c.ID, "/")
	return suite
}

// Result is the verdict of one check with the evidence behind it.
// Its JSON form is a result of the report format of DESIGN.md section 7.
type Result struct {
	ID       string
	Suite    string
	Level    Level
	Status   Status
	Summary  string
	Evidence []Evidence
	// Started is when the check began (the zero time when unknown); the JUnit report
	// times a suite from its first check's start to its last check's end. JSON leaves
	// it out.
	Started  time.Time
	Duration time.Duration
	// Expected holds the reason from the expected-failures file when this result is a
	// known deviation; it then does not fail the run.
	Expected string
	// Note is a remark for whoever reads the report that changes no verdict: that the
	// check passed although an expected-failures file lists it (see
	// [Report.MarkExpected]).
	Note string
}

// Failed reports whether the result fails the run: a must-level check that failed or
// errored and is not listed as an expected failure.
func (r Result) Failed() bool {
	if r.Expected != "" || r.Level != Must {
		return false
	}
	return r.Status == StatusFail || r.Status == StatusError
}

// Pass is the verdict of a check whose target did what the check holds it to.
func Pass(format string, args ...any) Result {
	return Result{Status: StatusPass, Summary: fmt.Sprintf(format, args...)}
}

// Fail is the verdict of a check whose target did not. The summary says what to fix, in
// one sentence, in the terms of the target's stack. Should-level failures become warnings.
func Fail(format string, args ...any) Result {
	return Result{Status: StatusFail, Summary: fmt.Sprintf(format, args...)}
}

// Skip is the verdict of a check that does not apply to the target; the summary says why.
func Skip(format string, args ...any) Result {
	return Result{Status: StatusSkip, Summary: fmt.Sprintf(format, args...)}
}

// Errored is the verdict of a check the harness could not decide, with the cause. A
// *[WaitError] (the wait would pass MaxWait) becomes a skip that says so.
func Errored(err error) Result {
	var werr *WaitError
	if errors.As(err, &werr) {
		return Skip("%s", werr.Error())
	}
	return Result{Status: StatusError, Summary: err.Error()}
}
