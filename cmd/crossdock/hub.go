package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/csvdoc"
	"github.com/crossdock-hub/crossdock/adapters/edi/edifactdoc"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/adapters/inbound"
	"github.com/crossdock-hub/crossdock/adapters/ingest"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/projections/partnerdir"
)

// hub is the partner side of the hub, shared by serve, ingest and replay: the partner directory, the
// commands, and the processor every inbound message goes through.
type hub struct {
	directory *partnerdir.Directory
	partners  *commands.PartnerHandler
	documents *commands.DocumentHandler
	orders    *commands.PlaceOrderHandler
	processor *ingest.Processor
}

// newHub wires the partner side on b and brings the directory up to date with the log.
func newHub(ctx context.Context, b *backend, g *globalOptions, logger *slog.Logger) (*hub, error) {
	key, err := sealKey(g)
	if err != nil {
		return nil, err
	}
	dir, err := partnerdir.New(b.store, partnerdir.Config{SealKey: key, Logger: logger.With("component", "partners")})
	if err != nil {
		return nil, err
	}
	if err := dir.Sync(ctx); err != nil {
		return nil, fmt.Errorf("load the partner directory: %w", err)
	}
	ph, err := commands.NewPartnerHandler(b.store, commands.PartnerConfig{SealKey: key, Logger: logger.With("component", "commands")})
	if err != nil {
		return nil, err
	}
	docs, err := commands.NewDocumentHandler(b.store, crosswalk{dir}, commands.DocumentConfig{Logger: logger.With("component", "commands")})
	if err != nil {
		return nil, err
	}
	orders, err := commands.NewPlaceOrderHandler(b.store, commands.PlaceOrderConfig{Logger: logger.With("component", "commands")})
	if err != nil {
		return nil, err
	}
	proc, err := ingest.NewProcessor(b.archive, docs, readOptions{dir}, ingest.EDIAcknowledger{},
		ingest.ProcessorConfig{Logger: logger.With("component", "ingest")})
	if err != nil {
		return nil, err
	}
	return &hub{directory: dir, partners: ph, documents: docs, orders: orders, processor: proc}, nil
}

// sealKey reads the key partner webhook secrets are sealed under: --seal-key-file, which is created with
// a new random key the first time (on PostgreSQL every hub process must be given the same file).
func sealKey(g *globalOptions) ([]byte, error) {
	path := g.sealKeyFile
	if path == "" {
		path = filepath.Join(g.dataDir, "seal.key")
	}
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && g.databaseURL != "" && g.sealKeyFile != "" {
		// An operator who names the file means an existing one: every hub of the database needs it.
		return nil, fmt.Errorf("seal key %s: not found (every hub process of a database needs the same key file; copy it from the first)", path)
	}
	if errors.Is(err, fs.ErrNotExist) {
		key = make([]byte, partner.SealKeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("seal key %s: %w", path, err)
		}
		// Created exclusively: of two processes starting at once, one writes the key and both use it.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, err = f.Write(key)
			err = errors.Join(err, f.Sync(), f.Close())
			if err != nil {
				return nil, fmt.Errorf("seal key %s: %w", path, err)
			}
			return key, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("seal key %s: %w", path, err)
		}
		// The other process may still be writing it.
		for range 40 {
			if key, err = os.ReadFile(path); err != nil || len(key) == partner.SealKeySize {
				break
			}
			time.Sleep(25 * time.Millisecond)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("seal key %s: %w", path, err)
	}
	if len(key) != partner.SealKeySize {
		return nil, fmt.Errorf("seal key %s holds %d bytes, want %d", path, len(key), partner.SealKeySize)
	}
	return key, nil
}

// crosswalk resolves partners' items and units through the directory, as of now.
type crosswalk struct{ dir *partnerdir.Directory }

func (c crosswalk) ResolveItem(partnerID string, ref domain.ItemRef) (string, bool) {
	cw, ok := c.dir.Crosswalk(partnerID)
	if !ok {
		return "", false
	}
	return cw.ResolveItem(partner.ItemIDs{Product: ref.Product, PartnerItem: ref.PartnerItem, UPC: ref.UPC,
		GTIN: ref.GTIN, Buyer: ref.BuyerItem, At: time.Now()})
}

func (c crosswalk) ConvertUnit(partnerID string, q domain.Quantity) (domain.Quantity, bool) {
	return c.dir.ConvertUnit(partnerID, q)
}

func (c crosswalk) Tolerances(partnerID string) (decimal.Decimal, decimal.Decimal) {
	return c.dir.Tolerances(partnerID)
}

// readOptions gives what a partner's profile says about reading its messages; a partner that is not
// registered, or not in effect, has none.
type readOptions struct{ dir *partnerdir.Directory }

func (r readOptions) ReadOptions(partnerID string) (inbound.Options, bool) {
	p, ok := r.dir.Profile(partnerID)
	if !ok || !p.ActiveAt(time.Now()) {
		return inbound.Options{}, false
	}
	opts := inbound.Options{
		X12:     x12doc.Options{InventoryQualifiers: p.InventoryQualifiers},
		EDIFACT: edifactdoc.Options{InventoryQualifiers: p.InventoryQualifiers},
	}
	for _, ch := range p.Channels {
		if ch.CSV != nil {
			opts.CSV = append(opts.CSV, csvMap(*ch.CSV))
		}
	}
	return opts, true
}

// KnowsSender implements ingest.SenderChecker: X12 senders are the partner's ISA IDs (qualifier and
// ID); EDIFACT senders its GLNs, DUNS or ISA IDs (UNB02 carries any of them).
func (r readOptions) KnowsSender(partnerID, standard, qualifier, id string) (known, listed bool) {
	p, ok := r.dir.Profile(partnerID)
	if !ok {
		return false, false
	}
	ids := p.Identifiers
	switch standard {
	case inbound.FormatX12:
		for _, isa := range ids.ISA {
			if partner.NormalizeISAQualifier(isa.Qualifier) == partner.NormalizeISAQualifier(qualifier) &&
				partner.NormalizeISAID(isa.ID) == partner.NormalizeISAID(id) {
				return true, true
			}
		}
		return false, len(ids.ISA) > 0
	case inbound.FormatEDIFACT:
		all := append(append(append([]string{}, ids.GLN...), ids.DUNS...), ids.GS...)
		for _, isa := range ids.ISA {
			all = append(all, isa.ID)
		}
		for _, x := range all {
			if strings.TrimSpace(x) == strings.TrimSpace(id) {
				return true, true
			}
		}
		return false, len(all) > 0
	}
	return false, false
}

// csvMap turns a partner's CSV settings into the CSV reader's column map.
func csvMap(c partner.CSVMap) csvdoc.Map {
	m := csvdoc.Map{Kind: c.Kind, Header: c.Header, Columns: c.Columns, DateFormat: c.DateFormat, DefaultUnit: c.DefaultUnit}
	if c.Delimiter != "" {
		m.Comma = []rune(c.Delimiter)[0]
	}
	return m
}

// directoryAuth authenticates partners' bearer tokens against the directory's scoped tokens.
type directoryAuth struct{ dir *partnerdir.Directory }

func (a directoryAuth) Authenticate(token string) (ingest.Credential, bool) {
	c, ok := a.dir.Authenticate(token)
	if !ok {
		return ingest.Credential{}, false
	}
	kinds := c.Kinds
	if kinds == nil {
		kinds = []string{} // a token scoped to nothing may send nothing
	}
	return ingest.Credential{PartnerID: c.PartnerID, Kinds: kinds}, true
}

// applyPartnersFile applies every partner of a YAML file (webhook secrets and tokens read from the
// CROSSDOCK_* variables it names), reports what changed on w, and brings the directory up to date.
func applyPartnersFile(ctx context.Context, h *hub, path, actor string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("partners file: %w", err)
	}
	defer f.Close()
	profiles, err := partner.LoadProfiles(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := partner.ResolveSecrets(profiles, os.LookupEnv); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := validateCSVMaps(profiles); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, p := range profiles {
		res, err := h.partners.Apply(ctx, commands.ApplyPartner{Profile: p, Actor: actor, Now: time.Now(), Source: "file:" + path})
		if err != nil {
			return fmt.Errorf("%s: partner %s: %w", path, p.ID, err)
		}
		if res.Appended == 0 {
			fmt.Fprintf(w, "partner %s: unchanged\n", p.ID)
		} else {
			fmt.Fprintf(w, "partner %s: %d change(s): %s\n", p.ID, res.Appended, countTypes(res.EventTypes))
		}
	}
	return h.directory.Sync(ctx)
}

// validateCSVMaps checks every CSV channel's column map with the CSV reader that will use it.
func validateCSVMaps(profiles []partner.Profile) error {
	var errs []error
	for _, p := range profiles {
		for i, ch := range p.Channels {
			if ch.CSV == nil {
				continue
			}
			if err := csvMap(*ch.CSV).Validate(); err != nil {
				errs = append(errs, fmt.Errorf("partner %s, /channels/%d/csv: %w", p.ID, i, err))
			}
		}
	}
	return errors.Join(errs...)
}

// countTypes summarises event types in first-seen order: "partner.item_mapped.v1 ×64, ...".
func countTypes(types []string) string {
	var order []string
	n := map[string]int{}
	for _, t := range types {
		if n[t] == 0 {
			order = append(order, t)
		}
		n[t]++
	}
	parts := make([]string, len(order))
	for i, t := range order {
		parts[i] = t
		if n[t] > 1 {
			parts[i] += fmt.Sprintf(" ×%d", n[t])
		}
	}
	return strings.Join(parts, ", ")
}
