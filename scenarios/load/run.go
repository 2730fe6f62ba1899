package load

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Run establishes the sessions (phase 1, unless cfg.Pool holds them) and attacks the
// target's refresh path with them (phase 2) until cfg.Duration has passed, ctx is done
// or no session is left. Cancelling ctx stops the attack at once; the report of what
// was sent until then is still returned, with Interrupted set.
//
// Run fails without a report when the config is unusable or no session could be
// established. When cfg.Observe fails, Run returns the report and the error.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	shape, err := newShape(cfg.Profile)
	if err != nil {
		return nil, err
	}

	// Phase 1, and the sign-ins that replace sessions during phase 2.
	var signIn func(context.Context) (string, error)
	if cfg.GoogleURL != "" {
		var tr *http.Transport
		signIn, tr = newSignIn(cfg)
		defer tr.CloseIdleConnections()
	}
	pool, sessions := cfg.Pool, Sessions{}
	if pool == nil {
		if pool, sessions, err = establish(ctx, cfg, signIn); err != nil {
			return nil, err
		}
	}
	if pool.Alive() == 0 {
		return nil, errors.New("load: the pool has no live session")
	}
	pool.reset()
	if cfg.Workers == 0 {
		cfg.Workers = pool.Len() // open model: at most a request in flight per session
	}

	// Phase 2.
	c := &chain{
		pool: pool, shape: shape, answers: newAnswerReader(cfg.Profile), count: &counters{},
		base: newTransport(cfg.Workers), timeout: cfg.Timeout, buffers: newBuffers(),
		reuse: share(cfg.ReuseRatio), race: share(cfg.RaceRatio),
		injecting: make(chan struct{}, maxInjecting),
		replacing: make(chan struct{}, maxReplacing),
		signIn:    signIn, ctx: ctx,
	}
	report := &Report{Target: cfg.Profile.BaseURL, Profile: cfg.Profile.Name,
		Model: describeModel(cfg, pool.Len())}
	cfg.Logger.InfoContext(ctx, "attack started", "model", report.Model)
	observeErr := c.attack(ctx, cfg, report)
	pool.stop()
	c.background.Wait()
	c.base.CloseIdleConnections()

	c.finish(ctx, report, sessions)
	cfg.Logger.InfoContext(ctx, "attack finished", "requests", report.Metrics.Requests,
		"findings", report.Tally.Findings.Total())
	return report, observeErr
}

// finish completes the report once the attack and everything it started are over.
func (c *chain) finish(ctx context.Context, report *Report, established Sessions) {
	report.Metrics.Close()
	report.Tally = c.count.tally()
	report.Tally.Sessions.Established = established.Established
	report.Tally.Sessions.SignInFailed = established.SignInFailed
	report.Tally.Sessions.Alive = int64(c.pool.Alive())
	report.Interrupted = ctx.Err() != nil
	if c.pool.Alive() == 0 {
		report.Ended = "no live session left: every session was lost or retired, and none " +
			"could be replaced"
	}
}

// attack runs phase 2, adding every result to the report's metrics, and returns the
// first error of cfg.Observe.
func (c *chain) attack(ctx context.Context, cfg Config, report *Report) error {
	atk := vegeta.NewAttacker(c.attackerOptions(cfg)...)
	results := atk.Attack(c.targeter, pacer(cfg), cfg.Duration, cfg.Name)
	stop := context.AfterFunc(ctx, func() {
		atk.Stop()
		c.pool.stop()
	})
	defer stop()

	var observeErr error
	for r := range results {
		if r.Method == "" {
			continue // the targeter had no session to give: the attack was ending
		}
		r.Body, r.Headers = nil, nil // they hold tokens
		report.Metrics.Add(r)
		if cfg.Observe == nil || observeErr != nil {
			continue
		}
		if observeErr = cfg.Observe(r); observeErr != nil {
			atk.Stop()
			c.pool.stop()
		}
	}
	return observeErr
}

// attackerOptions configure vegeta's attacker for the model: the chain as transport,
// redirects left unfollowed, and the workers.
func (c *chain) attackerOptions(cfg Config) []func(*vegeta.Attacker) {
	client := &http.Client{
		Transport: c, // which bounds every request by cfg.Timeout
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	workers := uint64(cfg.Workers)
	initial := workers
	if !cfg.closed() {
		initial = min(workers, vegeta.DefaultWorkers)
	}
	return []func(*vegeta.Attacker){
		vegeta.Client(client),
		vegeta.Workers(initial),
		vegeta.MaxWorkers(workers),
	}
}

// pacer paces the attack: as fast as the workers go in the closed model, at the rate
// (after the ramp) in the open one.
func pacer(cfg Config) vegeta.Pacer {
	switch {
	case cfg.closed():
		return vegeta.ConstantPacer{}
	case cfg.Ramp > 0:
		return newRampPacer(cfg.Rate, cfg.Ramp)
	}
	return cfg.Rate
}

// describeModel says in a few words how the attack is paced.
func describeModel(cfg Config, sessions int) string {
	if cfg.closed() {
		return fmt.Sprintf("closed, %d workers, %d sessions, %s", cfg.Workers, sessions,
			cfg.Duration)
	}
	rate := fmt.Sprintf("%d/%s", cfg.Rate.Freq, cfg.Rate.Per)
	if cfg.Ramp > 0 {
		rate += fmt.Sprintf(" after a %s ramp", cfg.Ramp)
	}
	return fmt.Sprintf("open, %s, %d sessions, %s", rate, sessions, cfg.Duration.Round(
		time.Millisecond))
}
