package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"github.com/tsenart/vegeta/v12/lib/plot"

	"github.com/authprobe/authprobe/refserver"
	"github.com/authprobe/authprobe/scenarios"
	"github.com/authprobe/authprobe/scenarios/load"
)

// loadOptions are the flags of authprobe load.
type loadOptions struct {
	target         string
	profile        string
	mockgoogleAddr string
	googleURL      string
	faults         []string
	db             string
	allowRemote    bool

	sessions       int
	signInParallel int
	rate           string
	ramp           time.Duration
	workers        int
	duration       time.Duration
	timeout        time.Duration
	reuseRatio     float64
	raceRatio      float64
	name           string

	out loadOutput
}

// loadOutput are the report flags, shared by authprobe load and authprobe load report.
type loadOutput struct {
	format     string
	output     string
	plot       string
	thresholds []string
}

// newLoadCmd builds authprobe load and its report subcommand.
func newLoadCmd() *cobra.Command {
	opts := loadOptions{}
	cmd := &cobra.Command{
		Use:   "load",
		Short: "Load-test the refresh path, counting rotation errors apart from latency",
		Long: "load signs --sessions sessions in through mockgoogle, then attacks the refresh\n" +
			"path with vegeta: an open model at --rate (after an optional linear --ramp), or\n" +
			"with --rate 0 a closed model of --workers workers. Every request carries its\n" +
			"session's latest refresh token. Apart from latency it counts findings: reused\n" +
			"tokens accepted (--reuse-ratio), forks of duplicate refreshes (--race-ratio),\n" +
			"lost sessions and unexpected answers. With no --target it loads the built-in\n" +
			"refserver (in memory, or on a WAL file with --db), spoken to as the built-in\n" +
			"--profile describes; a profile file with no --target loads its base_url.\n\n" +
			"--output keeps the results in vegeta's encoding (vegeta report and vegeta plot\n" +
			"read them) and the findings next to them in FILE.findings.json; `authprobe load\n" +
			"report` merges such files from several machines into one report. Ctrl-C stops\n" +
			"the attack and still writes everything. --output and --plot are checked before\n" +
			"any request and replaced only at the end; the report is printed even when one\n" +
			"cannot be written then.\n\n" +
			"Exit status: 0 when every --threshold holds, 1 when one is broken, the target\n" +
			"failed to sign sessions in or a file could not be written, 2 on usage or\n" +
			"configuration errors.",
		Example: "  authprobe load --sessions 200 --rate 1000/s --duration 30s\n" +
			"  authprobe load --rate 0 --workers 32 --fault racy-rotation --race-ratio 0.05\n" +
			"  authprobe load --target http://127.0.0.1:8000 --profile nuxt-drf " +
			"--mockgoogle 127.0.0.1:9090 \\\n" +
			"      --rate 500/s --ramp 10s --duration 1m --output run.bin --plot run.html \\\n" +
			"      --threshold 'p99<50ms' --threshold 'findings==0'",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLoad(cmd.Context(), opts, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.target, "target", "", "base URL of the backend to load "+
		"(default: the base_url of a profile file; otherwise start the built-in refserver)")
	f.StringVar(&opts.profile, "profile", "", "target profile: a YAML file or one of "+
		strings.Join(scenarios.BuiltinProfiles(), ", ")+" (default nuxt-drf); without "+
		"--target a built-in profile loads the built-in refserver in its shape")
	f.StringVar(&opts.mockgoogleAddr, "mockgoogle", "", "start mockgoogle on this address "+
		"for the backend to sign in with (default 127.0.0.1:9090 with --target)")
	f.StringVar(&opts.googleURL, "google-url", "", "use the mockgoogle already running here")
	f.StringArrayVar(&opts.faults, "fault", nil, "switch on a fault of the built-in "+
		"refserver (repeatable): "+strings.Join(refserver.FaultNames(), ", "))
	f.StringVar(&opts.db, "db", ":memory:", "database of the built-in refserver: "+
		":memory: or a file, in WAL mode")
	f.BoolVar(&opts.allowRemote, "allow-remote", false, "allow a target or mockgoogle on "+
		"another host; aim load only at servers you own")
	f.IntVar(&opts.sessions, "sessions", load.DefaultSessions, "sessions to sign in")
	f.IntVar(&opts.signInParallel, "signin-parallel", load.DefaultSignInParallel,
		"sign-ins at once while establishing sessions")
	f.StringVar(&opts.rate, "rate", "500/s", "requests per period (open model), or 0 "+
		"for the closed model")
	f.DurationVar(&opts.ramp, "ramp", 0, "open model: climb linearly from 1/s to --rate "+
		"over this long first")
	f.IntVar(&opts.workers, "workers", 0, "closed model: workers (default 16); open "+
		"model: most requests in flight (default one per session)")
	f.DurationVar(&opts.duration, "duration", 10*time.Second, "length of the attack")
	f.DurationVar(&opts.timeout, "timeout", scenarios.DefaultTimeout, "timeout of every "+
		"request")
	f.Float64Var(&opts.reuseRatio, "reuse-ratio", 0, "share of rotations after which the "+
		"rotated-out token is sent again (each acceptance is a finding)")
	f.Float64Var(&opts.raceRatio, "race-ratio", 0, "share of requests for which an idle "+
		"session's token is sent twice at once (two successors are a fork)")
	f.StringVar(&opts.name, "name", load.DefaultName, "attack name in the results; give "+
		"each machine its own when vegeta's tools will read their results together")
	opts.out.bindFlags(cmd, true)
	cmd.AddCommand(newLoadReportCmd())
	return cmd
}

// bindFlags adds the report flags; --output only where results are made.
func (o *loadOutput) bindFlags(cmd *cobra.Command, results bool) {
	f := cmd.Flags()
	f.Var(newChoiceValue(&o.format, "text", "text", "json"), "format", "report format")
	if results {
		f.StringVar(&o.output, "output", "", "write the results in vegeta's encoding to "+
			"this file, and the findings to FILE.findings.json")
	}
	f.StringVar(&o.plot, "plot", "", "write an HTML latency plot to this file")
	f.StringArrayVar(&o.thresholds, "threshold", nil, "fail (exit 1) unless METRIC OP "+
		"VALUE holds, e.g. 'p99<50ms', 'success>=99.9%', 'findings==0' (repeatable); "+
		"metrics: p50 p90 p95 p99 max mean success throughput requests findings "+
		"reuse_accepted forks lost_sessions unexpected")
}

// runLoad sets the target up, runs the attack and writes the report and files. It returns
// a failedError when a threshold is broken.
func runLoad(ctx context.Context, opts loadOptions, out, errOut io.Writer) error {
	thresholds, err := opts.out.parseThresholds()
	if err != nil {
		return usageError(err)
	}
	rate, err := load.ParseRate(opts.rate)
	if err != nil {
		return usageError(err)
	}
	if err := errors.Join(opts.check(), opts.out.checkPaths()); err != nil {
		return usageError(err)
	}
	tgt, err := opts.setUp(ctx, errOut)
	if err != nil {
		return usageError(err)
	}
	defer tgt.close(errOut)

	sink, err := newResultSink(opts.out, "authprobe load: "+tgt.profile.BaseURL)
	if err != nil {
		return usageError(err)
	}
	cfg := load.Config{
		Profile: tgt.profile, GoogleURL: tgt.googleURL, Sessions: opts.sessions,
		SignInParallel: opts.signInParallel, Progress: errOut, Rate: rate, Ramp: opts.ramp,
		Workers: opts.workers, Duration: opts.duration, Timeout: opts.timeout,
		ReuseRatio: opts.reuseRatio, RaceRatio: opts.raceRatio, Name: opts.name,
		Observe: sink.observe, AllowRemote: opts.allowRemote,
	}
	if err := cfg.Validate(); err != nil {
		sink.abandon()
		return usageError(err)
	}

	report, runErr := load.Run(ctx, cfg)
	if report == nil {
		sink.abandon()
		return failedError(runErr)
	}
	return opts.out.finish(report, thresholds, out, errors.Join(runErr,
		sink.close(report.Tally)))
}

// check refuses the flag combinations nothing else checks.
func (opts loadOptions) check() error {
	switch {
	case !opts.embedded() && (len(opts.faults) > 0 || opts.db != ":memory:"):
		return errors.New("load: --fault and --db set up the built-in refserver; they " +
			"cannot be used with --target or a profile file")
	case opts.mockgoogleAddr != "" && opts.googleURL != "":
		return errors.New("load: give --mockgoogle (start one) or --google-url (use a " +
			"running one), not both")
	case opts.timeout <= 0 || opts.duration <= 0:
		return errors.New("load: --timeout and --duration must be positive: every run " +
			"is bounded")
	case opts.sessions <= 0:
		return errors.New("load: --sessions must be positive")
	case opts.ramp < 0:
		return errors.New("load: --ramp must not be negative")
	case opts.ramp > opts.duration:
		return fmt.Errorf("load: --ramp %s is longer than --duration %s: the attack would "+
			"end before it reaches --rate", opts.ramp, opts.duration)
	}
	urls := []struct{ flag, raw string }{
		{"--target", opts.target}, {"--google-url", opts.googleURL},
	}
	for _, u := range urls {
		if err := checkURLFlag("load", u.flag, u.raw); err != nil {
			return err
		}
		if err := checkLoopback(u.flag, u.raw, opts.allowRemote); err != nil {
			return err
		}
	}
	return checkGraphQLFaults("load", opts.profile, opts.faults)
}

// setUp starts what the flags ask for: the built-in refserver and its mockgoogle, or
// mockgoogle for an external target, and builds the profile.
func (opts loadOptions) setUp(ctx context.Context, errOut io.Writer) (*checkTarget, error) {
	if opts.embedded() {
		return opts.startEmbedded(ctx, errOut)
	}
	p, err := scenarios.LoadProfile(cmp.Or(opts.profile, "nuxt-drf"))
	if err != nil {
		return nil, err
	}
	if opts.target != "" {
		p.BaseURL = opts.target
	} else {
		err := checkLoopback("the base_url of "+opts.profile, p.BaseURL, opts.allowRemote)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(errOut, "authprobe: loading %s, the base_url of %s (--target loads "+
			"another)\n", p.BaseURL, opts.profile)
	}
	return externalTarget("load", p, opts.googleURL, opts.mockgoogleAddr, errOut)
}

// embedded reports whether the flags ask for the built-in refserver: no --target, and
// no --profile or a built-in one.
func (opts loadOptions) embedded() bool {
	return opts.target == "" && (opts.profile == "" || isBuiltinProfile(opts.profile))
}

// startEmbedded starts mockgoogle (unless --google-url names one) and refserver on
// --db with the --fault faults, and returns the built-in profile (default nuxt-drf) that
// speaks to it. The refserver has no reuse grace, so that every injected reuse is
// decided.
func (opts loadOptions) startEmbedded(ctx context.Context,
	errOut io.Writer) (*checkTarget, error) {
	profile := cmp.Or(opts.profile, "nuxt-drf")
	cfg := refserver.Config{DB: opts.db, SigningKey: randomKey(), Cookies: profile == "cookies"}
	for _, name := range opts.faults {
		f, err := refserver.ParseFault(name)
		if err != nil {
			return nil, fmt.Errorf("load: --fault: %w", err)
		}
		cfg.Faults = append(cfg.Faults, f)
	}

	tgt, err := startBuiltin(ctx, builtinSetup{
		cmd: "load", cfg: cfg, profile: profile, googleURL: opts.googleURL,
		mockgoogleAddr: opts.mockgoogleAddr,
	}, errOut)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(errOut, "authprobe: loading the built-in refserver at %s (database %s, "+
		"faults: %s), signing in at mockgoogle %s\n", tgt.profile.BaseURL, opts.db,
		faultList(opts.faults), tgt.googleURL)
	return tgt, nil
}

// newLoadReportCmd builds authprobe load report.
func newLoadReportCmd() *cobra.Command {
	out := loadOutput{}
	cmd := &cobra.Command{
		Use:   "report FILE...",
		Short: "Merge the results of load runs, from one machine or several, into one report",
		Long: "report reads results files written by authprobe load --output (or any results\n" +
			"vegeta can read, with the FILE.findings.json that load writes next to them) and\n" +
			"reports them as one run: latency and status codes over every result, findings\n" +
			"added up. Thresholds gate the merged report as they gate a run.",
		Example: "  authprobe load report run.bin\n" +
			"  authprobe load report host-a.bin host-b.bin --plot all.html " +
			"--threshold 'p99<50ms' --threshold 'findings==0'",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			return runLoadReport(files, out, cmd.OutOrStdout())
		},
	}
	out.bindFlags(cmd, false)
	return cmd
}

// runLoadReport merges results files into one report.
func runLoadReport(files []string, o loadOutput, out io.Writer) error {
	thresholds, err := o.parseThresholds()
	if err != nil {
		return usageError(err)
	}
	if err := o.checkPaths(); err != nil {
		return usageError(err)
	}
	sink, err := newResultSink(o, "authprobe load: "+strings.Join(files, ", "))
	if err != nil {
		return usageError(err)
	}
	report, err := load.Merge(files, sink.observe)
	if err != nil {
		sink.abandon()
		return usageError(err)
	}
	return o.finish(report, thresholds, out, sink.close(report.Tally))
}

// checkPaths refuses, before any request, output files that could not be written.
func (o loadOutput) checkPaths() error {
	err := checkOutputPath("load", "--output", o.output)
	if err == nil && o.output != "" {
		err = checkOutputPath("load", "--output's findings file", load.TallyFile(o.output))
	}
	return errors.Join(err, checkOutputPath("load", "--plot", o.plot))
}

func (o loadOutput) parseThresholds() ([]load.Threshold, error) {
	var ts []load.Threshold
	for _, s := range o.thresholds {
		t, err := load.ParseThreshold(s)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// finish prints the report and gates it on the thresholds. The report is printed even
// when the run ended in error (the attack's, or a file that could not be written), and
// that error is then exit 1 too.
func (o loadOutput) finish(r *load.Report, thresholds []load.Threshold, out io.Writer,
	ended error) error {
	var err error
	if o.format == "json" {
		err = r.WriteJSON(out)
	} else {
		err = r.WriteText(out)
	}
	if err != nil {
		err = fmt.Errorf("load: write report: %w", err)
	} else if broken := load.Broken(r, thresholds); len(broken) > 0 {
		err = fmt.Errorf("load: %d threshold(s) broken: %s", len(broken),
			strings.Join(broken, "; "))
	}
	if err := errors.Join(ended, err); err != nil {
		return failedError(err)
	}
	return nil
}

// resultSink takes the attack's results to the --output file and the --plot. The
// results go to a temporary file next to --output, renamed over it by close, so that an
// existing file is replaced only by a run that completes.
type resultSink struct {
	file  *atomicFile
	buf   *bufio.Writer
	enc   vegeta.Encoder
	plot  *plot.Plot
	plotF string
}

// newResultSink opens the results file the flags ask for and starts the plot.
func newResultSink(o loadOutput, title string) (*resultSink, error) {
	s := &resultSink{plotF: o.plot}
	if o.output != "" {
		f, err := createAtomic(o.output)
		if err != nil {
			return nil, fmt.Errorf("load: --output %s: %w", o.output, err)
		}
		s.file, s.buf = f, bufio.NewWriter(f)
		s.enc = vegeta.NewEncoder(s.buf)
	}
	if o.plot != "" {
		s.plot = plot.New(plot.Title(title), plot.Downsample(4000))
	}
	return s, nil
}

func (s *resultSink) observe(r *vegeta.Result) error {
	if s.enc != nil {
		if err := s.enc.Encode(r); err != nil {
			return fmt.Errorf("load: write --output %s: %w", s.file.path, err)
		}
	}
	if s.plot != nil {
		return s.plot.Add(r)
	}
	return nil
}

// close puts the results file and the tally next to it in place, and writes the plot.
func (s *resultSink) close(t load.Tally) error {
	var errs []error
	if s.file != nil {
		errs = append(errs, s.closeResults(t))
	}
	if s.plot != nil {
		s.plot.Close()
		err := writeAtomic(s.plotF, func(w io.Writer) error {
			_, err := s.plot.WriteTo(w)
			return err
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("load: write --plot %s: %w", s.plotF, err))
		}
	}
	return errors.Join(errs...)
}

// closeResults writes the tally under a name derived from the temporary results file,
// renames it next to --output, then renames the results.
func (s *resultSink) closeResults(t load.Tally) error {
	path, tmp := s.file.path, s.file.Name()
	err := s.buf.Flush()
	if err == nil {
		err = load.WriteTally(tmp, t)
	}
	if err == nil {
		err = os.Rename(load.TallyFile(tmp), load.TallyFile(path))
	}
	if err != nil {
		os.Remove(load.TallyFile(tmp))
		s.file.abort()
		return fmt.Errorf("load: write --output %s: %w", path, err)
	}
	if err := s.file.commit(); err != nil {
		return fmt.Errorf("load: write --output %s: %w", path, err)
	}
	return nil
}

// abandon removes the results file of a run that never started.
func (s *resultSink) abandon() {
	if s.file != nil {
		s.file.abort()
	}
}
