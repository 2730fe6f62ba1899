package main

import (
	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree. Every subcommand is added here, in one place.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "authprobe",
		Short: "Check and load-test social-login JWT auth backends",
		Long: "authprobe checks backends that sign people in with Google and then issue their own\n" +
			"JWT access and refresh tokens: code exchange, expiry, rotation, reuse, races,\n" +
			"cookies and token hygiene, and how the refresh path holds up under load.",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newCheckCmd(),
		newLoadCmd(),
		newMockgoogleCmd(),
		newRefserverCmd(),
	)
	return root
}
