// Command authprobe checks and load-tests backends that sign people in with Google and then
// run their own JWT sessions.
//
// Its subcommands are check (the conformance suites), load (the refresh path under load),
// mockgoogle (a fake Google) and refserver (the reference backend).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)

	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "authprobe:", err)
		return exitCode(err)
	}
	return exitOK
}
