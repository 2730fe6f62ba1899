package scenarios

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// DefaultParallel is how many checks run at once when Config.Parallel is 0.
const DefaultParallel = 8

// Config configures a [Run]. Profile and GoogleURL are required.
type Config struct {
	// Profile describes the target. It is validated before any request.
	Profile *Profile
	// GoogleURL is the base URL of the mockgoogle the target signs in with.
	GoogleURL string
	// Checks are the checks to run, in report order; nil means [Checks].
	Checks []Check
	// Timeout bounds every HTTP request; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxWait bounds the real time one check may wait for expiry on a target without a
	// test clock; 0 means DefaultMaxWait. Checks that would wait longer are skipped.
	MaxWait time.Duration
	// Parallel is how many checks run at once; 0 means DefaultParallel.
	Parallel int
	// Recorder receives every exchange with the target and Google, for a HAR file.
	Recorder Recorder
	// Progress receives a line now and then while checks wait real time; nil: none.
	Progress io.Writer
	// Logger logs the run; nil discards.
	Logger *slog.Logger
}

// Run runs the checks against the target and returns the report. It fails only when the
// configuration is unusable (a *[ConfigError] for a bad profile); everything the target
// does, including being down, becomes verdicts. Checks that move the test clock or are
// exclusive run one at a time after the others.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	r, err := newRunner(cfg)
	if err != nil {
		return nil, err
	}
	report := &Report{Target: cfg.Profile.BaseURL, Profile: cfg.Profile.Name, Started: time.Now()}
	results := make([]Result, len(r.checks))

	defer r.closeIdle()
	down := r.preflight(ctx)
	if down == nil {
		if err := cfg.Profile.ValidateOperations(ctx, r.client.http); err != nil {
			return nil, err
		}
	}
	if down != nil {
		for i, c := range r.checks {
			results[i] = r.finish(c, Errored(down), nil, 0)
			results[i].Started = report.Started
		}
	} else {
		r.runAll(ctx, results)
	}

	report.Duration = time.Since(report.Started)
	report.Results = results
	report.Summary = summarize(results)
	sum := report.Summary
	r.log.InfoContext(ctx, "check run finished", "elapsed", report.Duration, "pass", sum.Pass,
		"fail", sum.Fail, "warn", sum.Warn, "skip", sum.Skip, "error", sum.Error)
	return report, nil
}

type runner struct {
	cfg    Config
	checks []Check
	client *Client
	google *Google
	clock  *clock
	log    *slog.Logger
}

func newRunner(cfg Config) (*runner, error) {
	if cfg.Profile == nil {
		return nil, errors.New("scenarios: no profile")
	}
	if err := cfg.Profile.Validate(); err != nil {
		return nil, err
	}
	if cfg.GoogleURL == "" {
		return nil, errors.New("scenarios: no mockgoogle URL")
	}
	if cfg.Checks == nil {
		cfg.Checks = Checks()
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxWait == 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = DefaultParallel
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}

	hc := &http.Client{Transport: newTransport(), Timeout: cfg.Timeout}
	google := NewGoogle(cfg.GoogleURL, hc)
	return &runner{
		cfg:    cfg,
		checks: cfg.Checks,
		client: NewClient(cfg.Profile,
			ClientConfig{GoogleURL: cfg.GoogleURL, Timeout: cfg.Timeout}),
		google: google,
		clock: &clock{url: cfg.Profile.ClockURL, google: google, http: hc,
			maxWait: cfg.MaxWait, sleep: sleepContext, progress: cfg.Progress},
		log: log,
	}, nil
}

// closeIdle closes the run's idle connections, so that a target shutting down right
// after the run does not wait for them.
func (r *runner) closeIdle() {
	r.client.http.CloseIdleConnections()
	r.google.http.CloseIdleConnections()
}

// preflight makes sure the target and mockgoogle answer at all, so that a target that is
// down gives one clear cause instead of a timeout per check.
func (r *runner) preflight(ctx context.Context) error {
	if err := r.google.Ping(ctx); err != nil {
		return fmt.Errorf("mockgoogle at %s does not answer: %w", r.google.URL(), err)
	}
	req, err := r.client.newRequest(ctx, http.MethodGet, r.cfg.Profile.User.Path, "", nil)
	if err != nil {
		return err
	}
	if _, err := r.client.Do(req, nil); err != nil {
		return fmt.Errorf("the target at %s does not answer: %w", r.cfg.Profile.BaseURL, err)
	}
	return nil
}

// runAll runs the concurrent checks side by side, then the exclusive ones in turn.
func (r *runner) runAll(ctx context.Context, results []Result) {
	var exclusive []int
	sem := make(chan struct{}, r.cfg.Parallel)
	var wg sync.WaitGroup
	for i, c := range r.checks {
		if c.Exclusive || c.Timed && r.clock.url != "" {
			exclusive = append(exclusive, i)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Checks waiting real time mostly sleep: they wait side by side, outside the
			// limit, so that all of them are done within MaxWait.
			if !c.Timed {
				sem <- struct{}{}
				defer func() { <-sem }()
			}
			results[i] = r.runOne(ctx, c)
		}()
	}
	wg.Wait()
	for _, i := range exclusive {
		results[i] = r.runOne(ctx, r.checks[i])
	}
}

// runOne runs one check under its own deadline, turning a panic into an error verdict.
func (r *runner) runOne(ctx context.Context, c Check) (res Result) {
	rec := &checkRecorder{id: c.ID, next: r.cfg.Recorder}
	env := &Env{
		Profile: r.cfg.Profile,
		Client:  r.client.WithRecorder(rec),
		Google:  r.google,
		Log:     r.log.With("scenario", c.ID),
		rec:     rec,
		clock:   r.clock,
	}
	limit := 8 * r.cfg.Timeout
	if c.Timed && r.clock.url == "" {
		limit += r.cfg.MaxWait
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	started := time.Now()
	defer func() {
		if p := recover(); p != nil {
			res = Errored(fmt.Errorf("the check panicked: %v", p))
		}
		res = r.finish(c, res, rec.collected(), time.Since(started))
		res.Started = started
	}()
	if ctx.Err() != nil {
		return Errored(fmt.Errorf("the run was stopped: %w", context.Cause(ctx)))
	}
	if reason := notApplicable(c, env.Profile); reason != "" {
		return Skip("%s", reason)
	}
	return c.Run(ctx, env)
}

// finish completes a verdict with what the runner knows about the check.
func (r *runner) finish(c Check, res Result, ev []Evidence, d time.Duration) Result {
	res.ID, res.Suite, res.Level, res.Duration = c.ID, c.Suite(), c.Level, d
	res.Evidence = ev
	if res.Evidence == nil {
		res.Evidence = []Evidence{}
	}
	if res.Status == StatusFail && c.Level == Should {
		res.Status = StatusWarn
	}
	r.log.Debug("check finished", "scenario", c.ID, "verdict", string(res.Status),
		"elapsed", d)
	return res
}
