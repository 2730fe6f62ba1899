package main

import "errors"

// Process exit codes, as DESIGN.md section 7 fixes them.
const (
	exitOK     = 0 // every must-check passed, or the command did its job
	exitFailed = 1 // a check or a threshold failed
	exitUsage  = 2 // a usage, profile or configuration error
)

// exitError carries the exit code a failure maps to.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks err as a usage or configuration error (exit 2).
func usageError(err error) error { return &exitError{code: exitUsage, err: err} }

// failedError marks err as a failed check or threshold (exit 1).
func failedError(err error) error { return &exitError{code: exitFailed, err: err} }

// exitCode maps an error returned by the command tree to a process exit code. Errors that
// carry no code come from cobra (unknown flag, wrong argument count) and are usage errors.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return exitUsage
}
