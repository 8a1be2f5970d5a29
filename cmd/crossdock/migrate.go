package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newMigrateCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the database schema (event store, archive, read models)",
		Long: `Applies every migration not yet applied to the database: the event store, the raw-message
archive and the projections' tables. It is safe to run again and beside running hubs; serve runs it on
start, so it is needed only to prepare a database ahead of a deployment.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, b, runner, err := openWithRunner(cmd.Context(), g, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer b.close()
			if err := runner.Migrate(cmd.Context()); err != nil {
				return fmt.Errorf("migrate projections: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s is up to date\n", b.describe)
			return nil
		},
	}
}
