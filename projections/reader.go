package projections

import "context"

// TableResolver names the active generation of a projection's tables: a *Runner in the process that runs
// projections, a *Catalog elsewhere. Read models' readers take one.
type TableResolver interface {
	ActiveTables(ctx context.Context, name string) (Tables, error)
}

// OnActive runs read against the active generation of projection name's tables. A rebuild may switch
// generations and drop the old tables between the resolution and the read: when read fails and the
// active generation has changed meanwhile, it runs once more against the new one.
func OnActive(ctx context.Context, tables TableResolver, name string, read func(Tables) error) error {
	t, err := tables.ActiveTables(ctx, name)
	if err != nil {
		return err
	}
	err = read(t)
	if err == nil {
		return nil
	}
	if now, rerr := tables.ActiveTables(ctx, name); rerr == nil && now.Generation != t.Generation {
		return read(now)
	}
	return err
}
