// Command crossdock is the Crossdock integration hub: one binary that serves the HTTP API and GraphQL,
// runs the projections, and carries the operator commands (migrate, projections).
//
// Every flag can also be set by an environment variable: CROSSDOCK_ followed by the flag's name in upper
// case with dashes as underscores (--database-url is CROSSDOCK_DATABASE_URL). A flag on the command line
// wins over the environment.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		var exit exitError
		if errors.As(err, &exit) {
			os.Exit(exit.code)
		}
		fmt.Fprintln(os.Stderr, "crossdock:", err)
		os.Exit(1)
	}
}

// exitError ends the process with a code after the command has already said why.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }
