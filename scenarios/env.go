package scenarios

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Env is what a check works with: the target's profile, a client whose exchanges become
// the check's evidence, mockgoogle's controls and the target's clock. The runner makes
// one Env per check; its methods are safe for use by the check's own goroutines.
type Env struct {
	// Profile describes the target; checks must not change it.
	Profile *Profile
	// Client drives the target and records every exchange as evidence of this check.
	Client *Client
	// Google controls the mockgoogle the target signs in with.
	Google *Google
	// Log is the run's logger; nil never.
	Log *slog.Logger

	rec   *checkRecorder
	clock *clock

	mu sync.Mutex
	// waited is how much real time this check has waited or is waiting.
	waited time.Duration
}

// Notef adds a note to the check's evidence, such as a decoded claim or what was armed.
// Notes must not contain secrets: show tokens with [Fingerprint].
func (e *Env) Notef(format string, args ...any) {
	e.rec.note(fmt.Sprintf(format, args...))
}

// SignIn signs in as the frontend does (see [Client.SignIn]) and returns the tokens. Its
// error is ready to become an error verdict: the check could not get a session.
func (e *Env) SignIn(ctx context.Context) (Tokens, error) {
	t, err := e.Client.SignIn(ctx)
	if err != nil {
		return Tokens{}, fmt.Errorf("could not sign in to set the check up: %w", err)
	}
	return t, nil
}

// HasTestClock reports whether the target's clock can be moved (the profile has a
// clock_url), so that expiry happens at once instead of after a real wait.
func (e *Env) HasTestClock() bool { return e.clock.url != "" }

// Advance makes d pass for the target: with a test clock it moves the target's clock and
// mockgoogle's by d, so that Google's tokens stay valid for the target; without one it
// waits d of real time. why says what is awaited ("the access token to expire"); when the
// wait would take this check past MaxWait, Advance returns a *[WaitError] at once, which
// [Errored] turns into a skip that says so.
func (e *Env) Advance(ctx context.Context, d time.Duration, why string) error {
	if e.HasTestClock() {
		return e.clock.advance(ctx, d)
	}
	e.mu.Lock()
	if e.waited+d > e.clock.maxWait {
		e.mu.Unlock()
		return &WaitError{Wait: d, MaxWait: e.clock.maxWait, Why: why}
	}
	e.waited += d
	e.mu.Unlock()
	return e.clock.wait(ctx, d, why)
}

// WaitError is a wait for real time that would take a check past the run's MaxWait.
type WaitError struct {
	Wait    time.Duration
	MaxWait time.Duration
	Why     string
}

func (e *WaitError) Error() string {
	return fmt.Sprintf("waiting %s for %s would pass --max-wait %s, and the target has no "+
		"test clock (clock_url)", e.Wait, e.Why, e.MaxWait)
}

// Describe renders an answer for a summary: its status and its body, secrets redacted,
// cut to a line. A GraphQL answer standing for another status than its own names both.
func (e *Env) Describe(r *Response) string {
	status := fmt.Sprint(r.Status)
	if r.GraphQL != nil && r.GraphQL.HTTPStatus != r.Status {
		status = fmt.Sprintf("%d (HTTP %d)", r.Status, r.GraphQL.HTTPStatus)
	}
	body := strings.TrimSpace(e.Client.red.text(string(r.Body)))
	if body == "" {
		return status + " with an empty body"
	}
	return status + " " + clip(body, 120)
}

// refused reports whether an answer is a client error (4xx): how a backend must turn
// away a bad code or token.
func refused(r *Response) bool { return r.Status >= 400 && r.Status < 500 }
