package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/refserver"
)

// refserverOptions are the flags of authprobe refserver.
type refserverOptions struct {
	addr         string
	google       string
	clientID     string
	clientSecret string
	redirectURL  string
	db           string
	signingKey   string
	algorithm    string
	accessTTL    time.Duration
	refreshTTL   time.Duration
	reuseGrace   time.Duration
	cookies      bool
	testClock    bool
	errorStyle   string
	faults       []string
	verbose      bool
}

// newRefserverCmd builds authprobe refserver.
func newRefserverCmd() *cobra.Command {
	opts := refserverOptions{}
	cmd := &cobra.Command{
		Use:   "refserver",
		Short: "Run the reference backend: Google sign-in, then rotating JWTs",
		Long: "refserver is a social-login backend done right: it exchanges a Google code\n" +
			"for the user, answers SimpleJWT-style access and refresh tokens, rotates refresh\n" +
			"tokens exactly once, revokes a family on reuse, and keeps its state in SQLite.\n" +
			"--fault switches on one real-world bug at a time, so each authprobe check can be\n" +
			"seen to catch its bug. Faults: " + strings.Join(refserver.FaultNames(), ", ") + ".",
		Example: "  authprobe refserver\n" +
			"  authprobe refserver --google http://127.0.0.1:9090 --db /tmp/ref.db --test-clock\n" +
			"  authprobe refserver --algorithm RS256 --cookies --fault insecure-cookies",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRefserver(cmd.Context(), opts, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.addr, "addr", "127.0.0.1:8000", "address to listen on")
	f.StringVar(&opts.google, "google", "http://127.0.0.1:9090",
		"base URL of the Google to sign in with (mockgoogle or an OpenID provider)")
	f.StringVar(&opts.clientID, "client-id", "", "Google client ID (default mockgoogle's)")
	f.StringVar(&opts.clientSecret, "client-secret", "",
		"Google client secret (default mockgoogle's)")
	f.StringVar(&opts.redirectURL, "redirect-url", "",
		"redirect_uri sent to Google when a request names none (default "+
			"http://localhost:3000/login)")
	f.StringVar(&opts.db, "db", "authprobe-refserver.db", "SQLite database file, or :memory:")
	f.StringVar(&opts.signingKey, "signing-key", "",
		"HS256 key, at least 32 bytes (default: random per start, so tokens do not "+
			"survive a restart); RS256 and EdDSA generate their own key pair")
	f.StringVar(&opts.algorithm, "algorithm", "",
		"signing algorithm: HS256 (the default), RS256 or EdDSA")
	f.DurationVar(&opts.accessTTL, "access-ttl", 5*time.Minute, "access token lifetime")
	f.DurationVar(&opts.refreshTTL, "refresh-ttl", 720*time.Hour, "refresh token lifetime")
	f.DurationVar(&opts.reuseGrace, "reuse-grace", 0,
		"duplicate refreshes within this of a rotation get the same new pair")
	f.BoolVar(&opts.cookies, "cookies", false, "also set and accept the tokens as cookies")
	f.BoolVar(&opts.testClock, "test-clock", false,
		"serve POST /_refserver/clock, which moves the server's clock forward")
	f.StringVar(&opts.errorStyle, "error-style", "drf", "error bodies: drf or rfc6749")
	f.StringSliceVar(&opts.faults, "fault", nil, "switch on a fault (repeatable)")
	f.BoolVar(&opts.verbose, "verbose", false, "log every request")
	return cmd
}

// runRefserver serves the reference backend until ctx is done, logging to errOut.
func runRefserver(ctx context.Context, opts refserverOptions, out, errOut io.Writer) error {
	cfg, err := opts.config(errOut)
	if err != nil {
		return usageError(err)
	}
	srv, err := refserver.New(ctx, cfg)
	if err != nil {
		return usageError(flagError(err))
	}
	if err := srv.Start(opts.addr); err != nil {
		return usageError(errors.Join(err, srv.Close()))
	}
	printRefserver(out, srv.URL(), cfg)

	<-ctx.Done()
	if err := srv.Close(); err != nil {
		return failedError(err)
	}
	return nil
}

// config turns the flags into a refserver.Config. A lifetime of 0 or less is refused here,
// since refserver.Config reads a zero lifetime as "use the default".
func (opts refserverOptions) config(errOut io.Writer) (refserver.Config, error) {
	for _, ttl := range []struct {
		flag  string
		value time.Duration
	}{{"access-ttl", opts.accessTTL}, {"refresh-ttl", opts.refreshTTL}} {
		if ttl.value <= 0 {
			return refserver.Config{}, fmt.Errorf("refserver: --%s %s: want a lifetime of "+
				"at least 1s", ttl.flag, ttl.value)
		}
	}
	cfg := refserver.Config{
		GoogleURL:    opts.google,
		ClientID:     opts.clientID,
		ClientSecret: opts.clientSecret,
		RedirectURL:  opts.redirectURL,
		DB:           opts.db,
		SigningKey:   opts.signingKey,
		Algorithm:    opts.algorithm,
		AccessTTL:    opts.accessTTL,
		RefreshTTL:   opts.refreshTTL,
		ReuseGrace:   opts.reuseGrace,
		Cookies:      opts.cookies,
		TestClock:    opts.testClock,
		ErrorStyle:   opts.errorStyle,
	}
	for _, name := range opts.faults {
		f, err := refserver.ParseFault(name)
		if err != nil {
			return cfg, err
		}
		cfg.Faults = append(cfg.Faults, f)
	}
	level := slog.LevelInfo
	if opts.verbose {
		level = slog.LevelDebug
	}
	cfg.Logger = slog.New(slog.NewTextHandler(errOut, &slog.HandlerOptions{Level: level}))
	return cfg, nil
}

// refserverFlags maps the refserver.Config fields to the flags that set them.
var refserverFlags = map[string]string{
	"GoogleURL": "google", "ClientID": "client-id", "ClientSecret": "client-secret",
	"RedirectURL": "redirect-url", "DB": "db", "SigningKey": "signing-key",
	"Algorithm": "algorithm", "AccessTTL": "access-ttl", "RefreshTTL": "refresh-ttl",
	"ReuseGrace": "reuse-grace", "ErrorStyle": "error-style", "Faults": "fault",
}

// refserverFlagError is a refserver.ConfigError told in terms of the flag that set the field.
type refserverFlagError struct {
	flag string
	err  *refserver.ConfigError
}

func (e *refserverFlagError) Error() string {
	return "refserver: --" + e.flag + ": " + e.err.Problem
}

func (e *refserverFlagError) Unwrap() error { return e.err }

// flagError names the flag behind a refserver.ConfigError; other errors pass unchanged.
func flagError(err error) error {
	var ce *refserver.ConfigError
	if !errors.As(err, &ce) {
		return err
	}
	if flag, ok := refserverFlags[ce.Field]; ok {
		return &refserverFlagError{flag: flag, err: ce}
	}
	return err
}

// printRefserver tells the operator where the server is and how it is set up.
func printRefserver(out io.Writer, url string, cfg refserver.Config) {
	fmt.Fprintf(out, "refserver listening on %s\n", url)
	fmt.Fprintf(out, "  google     %s\n", cfg.GoogleURL)
	fmt.Fprintf(out, "  database   %s\n", cfg.DB)
	fmt.Fprintf(out, "  login      POST %s/social-login/google/\n", url)
	if cfg.TestClock {
		fmt.Fprintf(out, "  clock      POST %s/_refserver/clock\n", url)
	}
	if len(cfg.Faults) > 0 {
		fmt.Fprintf(out, "  faults     %v\n", cfg.Faults)
	}
}
