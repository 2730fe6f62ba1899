package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/refserver"
	"github.com/authprobe/authprobe/scenarios"
)

// embeddedReuseGrace is the reuse grace window of the built-in refserver; its profile
// declares the same, so that reuse checks step past it.
const embeddedReuseGrace = 10 * time.Second

// checkOptions are the flags of authprobe check.
type checkOptions struct {
	target           string
	profile          string
	mockgoogleAddr   string
	googleURL        string
	faults           []string
	expects          []string
	suites           []string
	run              string
	format           string
	out              string
	har              string
	expectedFailures string
	maxWait          time.Duration
	timeout          time.Duration
	list             bool
}

// newCheckCmd builds authprobe check.
func newCheckCmd() *cobra.Command {
	opts := checkOptions{}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check a backend's social-login JWT contract, or the built-in reference backend",
		Long: "check drives a backend the way the Nuxt Auth frontend does, signing in through a\n" +
			"fake Google, and gives a verdict with evidence on every part of the contract:\n" +
			"code exchange, sessions, expiry, rotation, reuse, races, cookies, token hygiene\n" +
			"and error handling. With no --target it starts mockgoogle and refserver\n" +
			"in-process and checks them, in the shape of the built-in --profile if one is\n" +
			"named; --fault switches one of refserver's bugs on (a cookie fault runs\n" +
			"refserver in cookie mode with the cookies profile). A profile file with no\n" +
			"--target checks the backend at its base_url.\n\n" +
			"--out and --har are checked before any request and replaced only at the end,\n" +
			"so a run that fails leaves an existing file as it was.\n\n" +
			"Exit status: 0 when every must-check passes, 1 when one fails or a file cannot\n" +
			"be written at the end, 2 on usage or profile errors.",
		Example: "  authprobe check\n" +
			"  authprobe check --fault no-rotate --suite rotation\n" +
			"  authprobe check --profile graphql --fault no-blacklist\n" +
			"  authprobe check --fault insecure-cookies --suite cookies\n" +
			"  authprobe check --target http://127.0.0.1:8000 --profile nuxt-drf " +
			"--mockgoogle 127.0.0.1:9090 --format junit --out report.xml",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCheck(cmd.Context(), opts, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.target, "target", "", "base URL of the backend to check "+
		"(default: the base_url of a profile file; otherwise start the built-in refserver)")
	f.StringVar(&opts.profile, "profile", "", "target profile: a YAML file or one of "+
		strings.Join(scenarios.BuiltinProfiles(), ", ")+" (default nuxt-drf, or cookies "+
		"with a cookie fault); without --target a built-in profile checks the built-in "+
		"refserver in its shape (cookies in cookie mode, graphql its GraphQL API)")
	f.StringVar(&opts.mockgoogleAddr, "mockgoogle", "", "start mockgoogle on this address "+
		"for the backend to sign in with (default 127.0.0.1:9090 with --target)")
	f.StringVar(&opts.googleURL, "google-url", "", "use the mockgoogle already running here")
	f.StringArrayVar(&opts.faults, "fault", nil, "switch on a fault of the built-in "+
		"refserver (repeatable): "+strings.Join(refserver.FaultNames(), ", "))
	f.StringArrayVar(&opts.expects, "expect", nil, "override an expectation of the "+
		"profile, KEY=VALUE (repeatable), e.g. access_ttl=15m or rotation=false")
	f.StringSliceVar(&opts.suites, "suite", nil, "run only these suites (repeatable): "+
		strings.Join(scenarios.Suites(), ", "))
	f.StringVar(&opts.run, "run", "", "run only the checks whose IDs match this regular "+
		"expression")
	f.Var(newChoiceValue(&opts.format, "text", "text", "json", "junit"), "format",
		"report format")
	f.StringVar(&opts.out, "out", "", "write the report to this file (default stdout)")
	f.StringVar(&opts.har, "har", "", "write every exchange to this HAR file, tokens "+
		"redacted to fingerprints")
	f.StringVar(&opts.expectedFailures, "expected-failures", "", "YAML list of {id, "+
		"reason}: these failures do not fail the run but stay in the report")
	f.DurationVar(&opts.maxWait, "max-wait", scenarios.DefaultMaxWait, "longest real-time "+
		"wait of one expiry check on a target without a test clock; longer ones skip")
	f.DurationVar(&opts.timeout, "timeout", scenarios.DefaultTimeout, "timeout of every "+
		"HTTP request")
	f.BoolVar(&opts.list, "list", false, "list the selected checks instead of running them")
	return cmd
}

// runCheck sets the target up, runs the selected checks and writes the report. It
// returns a failedError when a must-check did not pass.
func runCheck(ctx context.Context, opts checkOptions, out, errOut io.Writer) error {
	checks, err := opts.selectChecks()
	if err != nil {
		return usageError(err)
	}
	if opts.list {
		if err := opts.checkProfile(); err != nil {
			return usageError(err)
		}
		return listChecks(out, checks)
	}
	var expected []scenarios.ExpectedFailure
	if opts.expectedFailures != "" {
		if expected, err = scenarios.LoadExpectedFailures(opts.expectedFailures,
			scenarios.Checks()); err != nil {
			return usageError(err)
		}
	}
	tgt, err := opts.setUp(ctx, errOut)
	if err != nil {
		return usageError(err)
	}
	defer tgt.close(errOut)

	har := &scenarios.Log{}
	report, err := scenarios.Run(ctx, scenarios.Config{
		Profile: tgt.profile, GoogleURL: tgt.googleURL, Checks: checks,
		Timeout: opts.timeout, MaxWait: opts.maxWait, Recorder: har, Progress: errOut,
	})
	if err != nil {
		return usageError(err)
	}
	report.MarkExpected(expected)

	if err := errors.Join(opts.writeReport(report, out), opts.writeHAR(har)); err != nil {
		return failedError(err)
	}
	if report.Failed() {
		return failedError(fmt.Errorf("check: %d must-check(s) did not pass", countFailed(report)))
	}
	return nil
}

// selectChecks checks the flags (see checkFlags) and applies --suite and --run.
func (opts checkOptions) selectChecks() ([]scenarios.Check, error) {
	if err := opts.checkFlags(); err != nil {
		return nil, err
	}
	var run *regexp.Regexp
	if opts.run != "" {
		var err error
		if run, err = regexp.Compile(opts.run); err != nil {
			return nil, fmt.Errorf("check: --run: %w", err)
		}
	}
	return scenarios.Select(scenarios.Checks(), opts.suites, run)
}

// checkFlags refuses, before anything starts, the flag values and combinations nothing
// else checks.
func (opts checkOptions) checkFlags() error {
	switch {
	case !opts.embedded() && len(opts.faults) > 0:
		return errors.New("check: --fault switches on faults of the built-in refserver; " +
			"it cannot be used with --target or a profile file")
	case opts.mockgoogleAddr != "" && opts.googleURL != "":
		return errors.New("check: give --mockgoogle (start one) or --google-url (use a " +
			"running one), not both")
	case opts.timeout <= 0:
		return errors.New("check: --timeout must be positive")
	case opts.maxWait < 0:
		return errors.New("check: --max-wait must not be negative")
	}
	return errors.Join(checkURLFlag("check", "--target", opts.target),
		checkURLFlag("check", "--google-url", opts.googleURL),
		checkGraphQLFaults("check", opts.profile, opts.faults),
		checkOutputPath("check", "--out", opts.out),
		checkOutputPath("check", "--har", opts.har))
}

// listChecks prints a line per check: its ID, level and what it holds the target to.
func listChecks(out io.Writer, checks []scenarios.Check) error {
	width := 0
	for _, c := range checks {
		width = max(width, len(c.ID))
	}
	for _, c := range checks {
		if _, err := fmt.Fprintf(out, "%-*s  %-6s  %s\n", width, c.ID, c.Level,
			c.Title); err != nil {
			return fmt.Errorf("check: %w", err)
		}
	}
	return nil
}

func countFailed(r *scenarios.Report) int {
	n := 0
	for _, res := range r.Results {
		if res.Failed() {
			n++
		}
	}
	return n
}

// randomKey returns a fresh HS256 key for the built-in refserver.
func randomKey() string {
	buf := make([]byte, 32)
	_, _ = rand.Read(buf) // crypto/rand.Read never fails
	return hex.EncodeToString(buf)
}

// isTerminal reports whether w is a terminal, where the text report may use colour.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// setUp starts what the flags ask for: the built-in refserver and its mockgoogle, or
// mockgoogle for an external target, and builds the profile.
func (opts checkOptions) setUp(ctx context.Context, errOut io.Writer) (*checkTarget, error) {
	var tgt *checkTarget
	var err error
	if opts.embedded() {
		tgt, err = opts.startEmbedded(ctx, errOut)
	} else {
		tgt, err = opts.external(errOut)
	}
	if err != nil {
		return nil, err
	}
	for _, kv := range opts.expects {
		if err := tgt.profile.SetExpect(kv); err != nil {
			tgt.close(errOut)
			return nil, fmt.Errorf("check: --expect: %w", err)
		}
	}
	if err := tgt.profile.Validate(); err != nil {
		tgt.close(errOut)
		return nil, err
	}
	return tgt, nil
}

// checkProfile loads and validates the profile and --expect overrides without starting
// anything, so that --list refuses a profile the run would refuse.
func (opts checkOptions) checkProfile() error {
	p, err := scenarios.LoadProfile(cmp.Or(opts.profile, "nuxt-drf"))
	if err != nil {
		return err
	}
	for _, kv := range opts.expects {
		if err := p.SetExpect(kv); err != nil {
			return fmt.Errorf("check: --expect: %w", err)
		}
	}
	return p.Validate()
}

// embedded reports whether the flags ask for the built-in refserver: no --target, and
// no --profile or a built-in one, which checks refserver in the shape it describes
// (cookies its cookie mode, graphql its GraphQL API; see fitRefserver).
func (opts checkOptions) embedded() bool {
	return opts.target == "" && (opts.profile == "" || isBuiltinProfile(opts.profile))
}

// cookieFaults are the faults of refserver's cookie mode; naming one starts refserver
// in that mode, checked with the cookies profile unless --profile names another.
var cookieFaults = []refserver.Fault{refserver.FaultInsecureCookies, refserver.FaultStaleCookie}

// embeddedConfig returns the settings of the built-in refserver (all but its Google URL)
// and the name of the built-in profile that checks it. The profile's signing key is
// cfg.SigningKey: empty when a fault makes refserver sign with a key of its own choosing
// (key-confusion signs with RS256, its public key at /auth/jwks/; weak-secret with
// "secret"), so that the profile never names a key refserver does not use.
func (opts checkOptions) embeddedConfig() (refserver.Config, string, error) {
	cfg := refserver.Config{DB: ":memory:", TestClock: true, ReuseGrace: embeddedReuseGrace}
	for _, name := range opts.faults {
		f, err := refserver.ParseFault(name)
		if err != nil {
			return cfg, "", fmt.Errorf("check: --fault: %w", err)
		}
		cfg.Faults = append(cfg.Faults, f)
	}
	has := func(f refserver.Fault) bool { return slices.Contains(cfg.Faults, f) }

	cookieFault := slices.ContainsFunc(cookieFaults, has)
	profile := cmp.Or(opts.profile, "nuxt-drf")
	if cookieFault && opts.profile == "" {
		profile = "cookies"
	}
	cfg.Cookies = cookieFault || profile == "cookies"
	if !has(refserver.FaultKeyConfusion) && !has(refserver.FaultWeakSecret) {
		cfg.SigningKey = randomKey()
	}
	return cfg, profile, nil
}

// startEmbedded starts mockgoogle (unless --google-url names one) and refserver with a
// test clock, an in-memory database, a fresh signing key and the --fault faults, and
// returns the profile that mirrors them (see embeddedConfig).
func (opts checkOptions) startEmbedded(ctx context.Context,
	errOut io.Writer) (*checkTarget, error) {
	cfg, profile, err := opts.embeddedConfig()
	if err != nil {
		return nil, err
	}
	tgt, err := startBuiltin(ctx, builtinSetup{
		cmd: "check", cfg: cfg, profile: profile, googleURL: opts.googleURL,
		mockgoogleAddr: opts.mockgoogleAddr,
	}, errOut)
	if err != nil {
		return nil, err
	}

	p := tgt.profile
	p.SigningKey = cfg.SigningKey
	p.ClockURL = p.BaseURL + "/_refserver/clock"
	p.Expect.ReuseGrace = scenarios.Duration(embeddedReuseGrace)
	p.Expect.PKCE = true
	fmt.Fprintf(errOut, "authprobe: checking the built-in refserver at %s (faults: %s), "+
		"signing in at mockgoogle %s\n", p.BaseURL, faultList(opts.faults), tgt.googleURL)
	return tgt, nil
}

// external loads the profile for --target, or for the base_url of a profile file, and
// starts or reaches its mockgoogle.
func (opts checkOptions) external(errOut io.Writer) (*checkTarget, error) {
	p, err := scenarios.LoadProfile(cmp.Or(opts.profile, "nuxt-drf"))
	if err != nil {
		return nil, err
	}
	if opts.target != "" {
		p.BaseURL = opts.target
	} else {
		fmt.Fprintf(errOut, "authprobe: checking %s, the base_url of %s (--target checks "+
			"another)\n", p.BaseURL, opts.profile)
	}
	return externalTarget("check", p, opts.googleURL, opts.mockgoogleAddr, errOut)
}

func faultList(faults []string) string {
	if len(faults) == 0 {
		return "none"
	}
	return fmt.Sprint(faults)
}

// writeReport writes the report in the chosen format to --out or to out.
func (opts checkOptions) writeReport(r *scenarios.Report, out io.Writer) error {
	write := func(w io.Writer) error {
		switch opts.format {
		case "json":
			return r.WriteJSON(w)
		case "junit":
			return r.WriteJUnit(w)
		}
		return r.WriteText(w, scenarios.TextOptions{Color: isTerminal(w)})
	}
	if opts.out == "" {
		return write(out)
	}
	if err := writeAtomic(opts.out, write); err != nil {
		return fmt.Errorf("check: write --out %s: %w", opts.out, err)
	}
	return nil
}

// writeHAR writes the exchanges to --har, if given.
func (opts checkOptions) writeHAR(har *scenarios.Log) error {
	if opts.har == "" {
		return nil
	}
	err := writeAtomic(opts.har, func(w io.Writer) error {
		return scenarios.WriteHAR(w, har.Exchanges(), version)
	})
	if err != nil {
		return fmt.Errorf("check: write --har %s: %w", opts.har, err)
	}
	return nil
}
