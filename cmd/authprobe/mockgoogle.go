package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/mockgoogle"
)

// mockgoogleOptions are the flags of authprobe mockgoogle.
type mockgoogleOptions struct {
	addr               string
	config             string
	interactive        bool
	allowRemoteControl bool
}

// newMockgoogleCmd builds authprobe mockgoogle.
func newMockgoogleCmd() *cobra.Command {
	opts := mockgoogleOptions{}
	cmd := &cobra.Command{
		Use:   "mockgoogle",
		Short: "Run a fake Google OAuth 2.0 / OpenID Connect provider",
		Long: "mockgoogle serves Google's sign-in endpoints (discovery, JWKS, authorization,\n" +
			"token, userinfo, tokeninfo, revoke) with Google's fields, statuses and error\n" +
			"bodies, so a backend pointed at it behaves as with Google. Tests script it over\n" +
			"HTTP under /_mock/ (queue users, mint codes, inject faults, rotate keys, move the\n" +
			"clock, read the request log).",
		Example: "  authprobe mockgoogle\n" +
			"  authprobe mockgoogle --addr 127.0.0.1:9090 --config users.yaml\n" +
			"  authprobe mockgoogle --interactive",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMockgoogle(cmd.Context(), opts, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.addr, "addr", "127.0.0.1:9090", "address to listen on")
	f.StringVar(&opts.config, "config", "",
		"YAML file of users (sub, email, ...) and clients (client_id, client_secret, "+
			"redirect_uris), either of which may be left out for its default")
	f.BoolVar(&opts.interactive, "interactive", false,
		"show an account chooser instead of signing in at once")
	f.BoolVar(&opts.allowRemoteControl, "allow-remote-control", false,
		"serve the /_mock/ control API to non-loopback peers too (anyone reaching it can "+
			"sign in as anyone)")
	return cmd
}

// runMockgoogle serves a fake Google until ctx is done, logging requests to errOut.
func runMockgoogle(ctx context.Context, opts mockgoogleOptions, out, errOut io.Writer) error {
	cfg := mockgoogle.Config{}
	if opts.config != "" {
		var err error
		if cfg, err = mockgoogle.LoadConfig(opts.config); err != nil {
			return usageError(err)
		}
	}
	cfg.Interactive = opts.interactive
	cfg.AllowRemoteControl = opts.allowRemoteControl
	cfg.Logger = slog.New(slog.NewTextHandler(errOut, nil))

	srv, err := mockgoogle.New(cfg)
	if err != nil {
		return usageError(err)
	}
	if err := srv.Start(opts.addr); err != nil {
		return usageError(err)
	}
	printMockgoogle(out, srv.URL(), cfg)

	<-ctx.Done()
	if err := srv.Close(); err != nil {
		return failedError(err)
	}
	return nil
}

// printMockgoogle tells the operator where the server is and what it accepts. Secrets are
// shown only for the built-in default client, whose secret is no secret.
func printMockgoogle(out io.Writer, url string, cfg mockgoogle.Config) {
	fmt.Fprintf(out, "mockgoogle listening on %s\n", url)
	fmt.Fprintf(out, "  discovery  %s/.well-known/openid-configuration\n", url)
	if len(cfg.Clients) == 0 {
		fmt.Fprintf(out, "  client     %s / %s (any redirect URI on localhost or 127.0.0.1)\n",
			mockgoogle.DefaultClientID, mockgoogle.DefaultClientSecret)
	}
	for _, c := range cfg.Clients {
		fmt.Fprintf(out, "  client     %s\n", c.ID)
	}
	users := cfg.Users
	if len(users) == 0 {
		users = []mockgoogle.User{mockgoogle.DefaultUser()}
	}
	for _, u := range users {
		fmt.Fprintf(out, "  user       %s (sub %s)\n", u.Email, u.Sub)
	}
	scope := "loopback peers only"
	if cfg.AllowRemoteControl {
		scope = "any peer"
	}
	fmt.Fprintf(out, "  control    %s/_mock/ (%s)\n", url, scope)
}
