package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func newCacheCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cache",
		Short: "Show or clean the cache of wasmc run",
		Long: `cache shows and cleans the executables wasmc run keeps. The cache is
` + "$" + cacheEnv + ` or wasmc/ under the user's cache directory; it holds at most
` + "$" + cacheMaxEnv + ` bytes (500M, 2G, ...; 1G by default) and evicts the least
recently used executables beyond that.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "dir",
		Short: "Print the cache's directory",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := openCache()
			if err != nil {
				return fmt.Errorf("cache: %w", err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), c.dir)
			return nil
		},
	}, &cobra.Command{
		Use:   "list",
		Short: "List the cached executables, most recently used first",
		Long: `list prints one line per cached executable, the most recently used first: its
key, its size, when it was last used and what it was built from (the module and the
flags that change its code), then the total and the cap.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := openCache()
			if err != nil {
				return fmt.Errorf("cache: %w", err)
			}
			es, err := c.entries()
			if err != nil {
				return fmt.Errorf("cache: %w", err)
			}
			w := cmd.OutOrStdout()
			var total int64
			for _, e := range es {
				total += e.size
				fmt.Fprintf(w, "%s  %8s  %s  %s\n", e.key[:12], humanSize(e.size), e.lastUse.Format(time.DateTime), e.about)
			}
			fmt.Fprintf(w, "%d executables, %s of %s\n", len(es), humanSize(total), humanSize(c.max))
			return nil
		},
	}, &cobra.Command{
		Use:   "clean",
		Short: "Remove every cached executable",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := openCache()
			if err != nil {
				return fmt.Errorf("cache: %w", err)
			}
			n, bytes, err := c.clean()
			if err != nil {
				return fmt.Errorf("cache: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed %d executables, %s\n", n, humanSize(bytes))
			return nil
		},
	})
	return cmd
}

// humanSize prints a size in bytes as people read it: 512 B, 3.4 MB, 1.0 GB (powers of
// 1024, as the cap is given).
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, prefix := float64(n)/unit, 0
	for f >= unit && prefix < 3 {
		f /= unit
		prefix++
	}
	return fmt.Sprintf("%.1f %cB", f, "KMGT"[prefix])
}
