package load

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/authprobe/authprobe/scenarios"
)

// Defaults for the empty fields of a Config.
const (
	DefaultSessions       = 100
	DefaultSignInParallel = 16
	DefaultWorkers        = 16
	DefaultName           = "refresh"
)

// Config configures a [Run]. Profile and Duration are required; so is GoogleURL unless
// Pool is given.
type Config struct {
	// Profile describes the target: its base URL, the refresh request and the answer's
	// fields. It is validated before any request.
	Profile *scenarios.Profile
	// GoogleURL is the base URL of the mockgoogle the target signs in with.
	GoogleURL string

	// Pool, when set, holds the sessions to attack with, and phase 1 is skipped. Its
	// sessions keep their latest tokens after the run, ready for another.
	Pool *Pool
	// Sessions is how many sessions phase 1 signs in; 0 means DefaultSessions.
	Sessions int
	// SignInParallel is how many sign-ins phase 1 runs at once; 0 means
	// DefaultSignInParallel.
	SignInParallel int
	// Progress receives phase 1's progress bar; nil draws none.
	Progress io.Writer

	// Rate paces the open model. The zero Rate asks for the closed model instead.
	Rate vegeta.Rate
	// Ramp, in the open model, climbs linearly from one request a second to Rate over
	// this long before holding Rate; 0 starts at Rate.
	Ramp time.Duration
	// Workers is, in the closed model, how many workers each send their next refresh as
	// soon as the last answer arrived (0 means DefaultWorkers); in the open model, the
	// most requests in flight at once (0 means one per session).
	Workers int
	// Duration bounds the attack. It must be positive: no run is unbounded.
	Duration time.Duration
	// Timeout bounds every request; 0 means scenarios.DefaultTimeout.
	Timeout time.Duration

	// ReuseRatio is the share of rotations after which the token just rotated out is sent
	// again, out of band, to see whether it is accepted; 0 sends none.
	ReuseRatio float64
	// RaceRatio is the share of requests for which an idle session's token is sent twice
	// at once, out of band, to see whether the family forks; 0 sends none.
	RaceRatio float64

	// Observe, when set, receives every result of the attack in order, from one
	// goroutine, with its body and headers (which hold tokens) already dropped. An error
	// stops the attack, and Run returns it with the report.
	Observe func(*vegeta.Result) error

	// Name names the attack in its results (vegeta's Result.Attack, and the
	// X-Vegeta-Attack header); empty means DefaultName. Runs on several machines whose
	// results vegeta's own tools will read together need names of their own.
	Name string

	// AllowRemote lets the target and mockgoogle be on other hosts than this one. The
	// caller must own whatever they aim the load at.
	AllowRemote bool
	// Logger logs the run's lifecycle, never a request; nil discards.
	Logger *slog.Logger
}

// closed reports whether the config asks for the closed model.
func (cfg *Config) closed() bool { return cfg.Rate.Freq == 0 }

// Validate reports the first problem that makes cfg unusable, before any request.
func (cfg *Config) Validate() error {
	if err := cfg.validateTarget(); err != nil {
		return err
	}
	if cfg.Pool == nil && cfg.GoogleURL == "" {
		return errors.New("load: no mockgoogle URL to sign sessions in with")
	}
	if cfg.Duration <= 0 {
		return errors.New("load: the attack needs a positive duration")
	}
	if cfg.Rate.Freq < 0 || cfg.Rate.Freq > 0 && cfg.Rate.Per <= 0 {
		return fmt.Errorf("load: bad rate %d/%s", cfg.Rate.Freq, cfg.Rate.Per)
	}
	if r := cfg.ReuseRatio; r < 0 || r > 1 {
		return fmt.Errorf("load: reuse ratio %g is not between 0 and 1", r)
	}
	if r := cfg.RaceRatio; r < 0 || r > 1 {
		return fmt.Errorf("load: race ratio %g is not between 0 and 1", r)
	}
	if cfg.Ramp < 0 || cfg.Workers < 0 {
		return errors.New("load: negative ramp or workers")
	}
	return nil
}

// validateTarget checks what phase 1 needs: the profile, where it points, and the
// sign-in settings.
func (cfg *Config) validateTarget() error {
	if cfg.Profile == nil {
		return errors.New("load: no profile")
	}
	if err := cfg.Profile.Validate(); err != nil {
		return err
	}
	if cfg.Sessions < 0 || cfg.SignInParallel < 0 || cfg.Timeout < 0 {
		return errors.New("load: negative sessions, sign-ins or timeout")
	}
	return cfg.checkLoopback()
}

// resolve checks the config and fills in its defaults, without touching the caller's copy.
func (cfg Config) resolve() (Config, error) {
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg.withDefaults(), nil
}

// withDefaults fills in the empty fields.
func (cfg Config) withDefaults() Config {
	if cfg.Name == "" {
		cfg.Name = DefaultName
	}
	if cfg.Sessions == 0 {
		cfg.Sessions = DefaultSessions
	}
	if cfg.SignInParallel == 0 {
		cfg.SignInParallel = DefaultSignInParallel
	}
	if cfg.Workers == 0 && cfg.closed() {
		cfg.Workers = DefaultWorkers
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = scenarios.DefaultTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

// checkLoopback refuses targets off this host unless AllowRemote says otherwise.
func (cfg *Config) checkLoopback() error {
	if cfg.AllowRemote {
		return nil
	}
	urls := []string{cfg.Profile.BaseURL}
	if cfg.GoogleURL != "" {
		urls = append(urls, cfg.GoogleURL)
	}
	for _, raw := range urls {
		if !loopback(raw) {
			return fmt.Errorf("load: %s is not a loopback address; load tests aim at this "+
				"host unless remote targets are allowed", raw)
		}
	}
	return nil
}

// loopback reports whether a URL's host is this machine: localhost or a loopback IP.
func loopback(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
