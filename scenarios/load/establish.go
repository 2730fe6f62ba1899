package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authprobe/authprobe/scenarios"
)

// Establish runs phase 1 alone: it signs cfg.Sessions sessions in through the real flow
// (the browser's authorization request to mockgoogle, then the code exchange with the
// target), cfg.SignInParallel at a time, drawing a progress bar on cfg.Progress. It
// gives up when more than a tenth of the sign-ins fail, returning the first failure.
// Only the fields of cfg about the target and phase 1 matter; a [Run] with the pool in
// Config.Pool attacks with the sessions.
func Establish(ctx context.Context, cfg Config) (*Pool, Sessions, error) {
	if err := cfg.validateTarget(); err != nil {
		return nil, Sessions{}, err
	}
	if cfg.GoogleURL == "" {
		return nil, Sessions{}, errors.New("load: no mockgoogle URL to sign sessions in with")
	}
	cfg = cfg.withDefaults()
	signIn, tr := newSignIn(cfg)
	defer tr.CloseIdleConnections()
	return establish(ctx, cfg, signIn)
}

// newSignIn returns a function that signs a session in as the frontend does and returns
// its refresh token, and the transport it uses, for the caller to close.
func newSignIn(cfg Config) (func(context.Context) (string, error), *http.Transport) {
	tr := newTransport(cfg.SignInParallel)
	client := scenarios.NewClient(cfg.Profile, scenarios.ClientConfig{
		GoogleURL:  cfg.GoogleURL,
		HTTPClient: &http.Client{Transport: tr, Timeout: cfg.Timeout},
	})
	return func(ctx context.Context) (string, error) {
		tokens, err := client.SignIn(ctx)
		return tokens.Refresh, err
	}, tr
}

func establish(ctx context.Context, cfg Config,
	signIn func(context.Context) (string, error)) (*Pool, Sessions, error) {
	n := cfg.Sessions
	pool := NewPool(n)
	s := &signIns{total: n, maxFailed: max(1, int64(n)/10)}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	stopBar := s.drawProgress(cfg.Progress)
	var wg sync.WaitGroup
	for range min(cfg.SignInParallel, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && s.next.Add(1) <= int64(n) {
				refresh, err := signIn(ctx)
				if err == nil {
					err = pool.Add(refresh)
				}
				if err != nil && s.fail(err) {
					cancel(s.firstError())
				}
				if err == nil {
					s.done.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	stopBar()

	got := Sessions{Established: s.done.Load(), SignInFailed: s.failed.Load()}
	switch {
	case ctx.Err() != nil:
		return nil, got, fmt.Errorf("load: establish sessions: %w", context.Cause(ctx))
	case got.Established == 0:
		return nil, got, fmt.Errorf("load: no session established: %w", s.firstError())
	}
	cfg.Logger.InfoContext(ctx, "sessions established", "sessions", got.Established,
		"failed", got.SignInFailed)
	return pool, got, nil
}

// signIns tracks phase 1.
type signIns struct {
	total     int
	maxFailed int64
	next      atomic.Int64 // sign-ins started
	done      atomic.Int64
	failed    atomic.Int64
	mu        sync.Mutex
	first     error
}

// fail counts a failed sign-in, and reports whether phase 1 should give up.
func (s *signIns) fail(err error) bool {
	s.mu.Lock()
	if s.first == nil {
		s.first = err
	}
	s.mu.Unlock()
	return s.failed.Add(1) > s.maxFailed
}

func (s *signIns) firstError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first == nil {
		return fmt.Errorf("load: no sign-in attempted")
	}
	return fmt.Errorf("%d of %d sign-ins failed, the first with: %w", s.failed.Load(),
		s.total, s.first)
}

// drawProgress redraws a progress bar on w a few times a second until the returned
// function is called, which draws it a last time and ends the line.
func (s *signIns) drawProgress(w io.Writer) (stop func()) {
	if w == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				fmt.Fprintf(w, "\r%s\n", s.bar())
				return
			case <-tick.C:
				fmt.Fprintf(w, "\r%s", s.bar())
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// bar renders the progress of phase 1 on one line.
func (s *signIns) bar() string {
	const width = 30
	done, failed := s.done.Load(), s.failed.Load()
	filled := int(done * width / int64(max(s.total, 1)))
	line := fmt.Sprintf("signing in [%s%s] %d/%d", strings.Repeat("#", filled),
		strings.Repeat(".", width-filled), done, s.total)
	if failed > 0 {
		line += fmt.Sprintf(", %d failed", failed)
	}
	return line
}
