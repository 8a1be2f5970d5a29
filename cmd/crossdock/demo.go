package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/crossdock-hub/crossdock/adapters/odoosim"
)

// demoOptions configure crossdock demo.
type demoOptions struct {
	addr     string
	interval time.Duration
	cycles   int
	version  int
	keep     bool
}

func newDemoCmd(g *globalOptions) *cobra.Command {
	o := &demoOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the hub with a simulated Odoo, supplier, 3PL and carrier, so the views fill within a minute",
		Long: `Starts, in this one process, an Odoo simulator (crossdock odoo simulate), the hub on an embedded store
wired to it (crossdock serve --odoo-url ...), and simulated partners sending what real ones send:

  ACME Supply (supplier)    gets each purchase order as an 850 in its outbox, answers 855, ships (856),
                            invoices (810) — one invoice in three at a price above the order's;
  Northwind (3PL)           receives (944, one receipt in two short, the rest a cycle later), reports
                            its stock (846), gets each sales order as a 940 and ships it (945);
  Swiftline (carrier)       reports the shipments delivered (214).

Each cycle confirms a purchase order and a sales order in the simulated Odoo, so the hub captures them,
books the receipts and deliveries back in Odoo, and makes the vendor bills of matched invoices. Open
GraphiQL at /graphql to query the three-way match, inventory divergence, partner SLAs and timelines.

The demo starts from an empty store: a new directory under the system's temporary directory, removed
at the end (--keep keeps it), or --data-dir when given, which must be empty. To run the hub against
a real Odoo instead, see crossdock serve --help (--odoo-url, --odoo-db, --odoo-user, --odoo-key).`,
		Example: `  crossdock demo
  crossdock demo --addr 127.0.0.1:9090 --interval 2s
  crossdock demo --cycles 3 --keep`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), g, o, cmd)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address the hub listens on")
	f.DurationVar(&o.interval, "interval", 3*time.Second, "pause between two cycles of partner traffic")
	f.IntVar(&o.cycles, "cycles", 0, "stop after this many cycles (0: run until interrupted)")
	f.IntVar(&o.version, "odoo-version", 17, "Odoo version the simulator plays: 16, 17 or 19")
	f.BoolVar(&o.keep, "keep", false, "keep the demo's data directory at the end")
	return cmd
}

// Demo partners' tokens: known, so that a user can post documents of their own.
const (
	demoAcmeToken      = "demo-acme-token-0123456789abcdef0123"
	demoNorthwindToken = "demo-northwind-token-0123456789abcdef"
	demoSwiftlineToken = "demo-swiftline-token-0123456789abcdef"
)

func runDemo(ctx context.Context, g *globalOptions, o *demoOptions, cmd *cobra.Command) error {
	out := cmd.OutOrStdout()
	dir := g.dataDir
	if cmd.Flags().Changed("data-dir") || os.Getenv(envPrefix+"DATA_DIR") != "" {
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			return fmt.Errorf("--data-dir %s is not empty: the demo starts from an empty store", dir)
		}
	} else {
		var err error
		if dir, err = os.MkdirTemp("", "crossdock-demo-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(dir)
		}
	}
	g.dataDir = dir
	outbox := filepath.Join(dir, "outbox")
	for _, p := range []string{"acme", "northwind"} {
		if err := os.MkdirAll(filepath.Join(outbox, p), 0o755); err != nil {
			return err
		}
	}

	// The simulated Odoo.
	sim, err := odoosim.New(odoosim.Config{Version: o.version})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	simSrv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = simSrv.Serve(ln) }()
	defer simSrv.Close()
	odooURL := "http://" + ln.Addr().String()
	seed, err := seedDemoOdoo(sim)
	if err != nil {
		return fmt.Errorf("seed the simulated Odoo: %w", err)
	}

	partners := filepath.Join(dir, "partners.yaml")
	if err := os.WriteFile(partners, []byte(demoPartners(outbox)), 0o600); err != nil {
		return err
	}

	ctx, stop := context.WithCancel(ctx)
	defer stop()
	serveCmd := newServeCmd(g)
	serveCmd.SetArgs([]string{"--addr", o.addr, "--partners", partners, "--odoo-url", odooURL, "--odoo-db", odoosim.DefaultDatabase,
		"--odoo-user", odoosim.DefaultLogin, "--odoo-key", odoosim.DefaultAPIKey, "--odoo-warehouse", "northwind=WH",
		"--odoo-poll-interval", "1s", "--odoo-levels-interval", "5s", "--odoo-breaker-cooldown", "3s", "--watch-interval", "5s",
		"--divergence-window", "30s"})
	serveCmd.SetOut(out)
	serveCmd.SetErr(cmd.ErrOrStderr())
	served := make(chan error, 1)
	go func() { served <- serveCmd.ExecuteContext(ctx) }()

	base := "http://" + o.addr
	if err := waitHealthy(ctx, base, served); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nCrossdock demo: hub on %s (GraphiQL: %s/graphql), Odoo %d simulator on %s, data in %s\n", base, base, o.version, odooURL, dir)
	fmt.Fprintf(out, "Partner tokens: acme %s, northwind %s, swiftline %s\n\n", demoAcmeToken, demoNorthwindToken, demoSwiftlineToken)

	t := &demoTraffic{sim: sim, seed: seed, hub: base, outbox: outbox, out: out, client: &http.Client{Timeout: 30 * time.Second}}
	go func() {
		defer func() {
			if o.cycles > 0 {
				stop()
			}
		}()
		for k := 1; o.cycles == 0 || k <= o.cycles; k++ {
			if err := t.cycle(ctx, k); err != nil {
				if ctx.Err() == nil {
					fmt.Fprintf(out, "cycle %d: %v\n", k, err)
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(o.interval):
			}
		}
	}()
	err = <-served
	if o.keep {
		fmt.Fprintf(out, "The demo's data is in %s.\n", dir)
	}
	return err
}

func waitHealthy(ctx context.Context, base string, served <-chan error) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-served:
			if err == nil {
				err = errors.New("the hub stopped")
			}
			return err
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("the hub did not become ready within a minute")
}

// demoSeed are the simulated Odoo's records the traffic uses.
type demoSeed struct {
	supplier, customer int64
	products           map[string]int64 // by default_code
}

// demoProducts are the demo's items: Odoo's code, ACME's item, Northwind's SKU, and the price.
var demoProducts = []struct {
	code, acme, northwind string
	price                 float64
}{
	{"WIDGET-BLUE", "A-BLUE", "NW-BLUE", 8.5},
	{"WIDGET-RED", "A-RED", "NW-RED", 7},
	{"GADGET-GREEN", "A-GREEN", "NW-GREEN", 12.25},
}

func seedDemoOdoo(sim *odoosim.Server) (demoSeed, error) {
	s := demoSeed{products: map[string]int64{}}
	var err error
	if s.supplier, err = sim.Create("res.partner", map[string]any{"name": "ACME Supply Co.", "ref": "acme", "is_company": true}); err != nil {
		return s, err
	}
	if s.customer, err = sim.Create("res.partner", map[string]any{"name": "Bolt Retail", "ref": "BOLT", "is_company": true}); err != nil {
		return s, err
	}
	for _, p := range demoProducts {
		id, err := sim.Create("product.product", map[string]any{"name": p.code, "default_code": p.code, "standard_price": p.price})
		if err != nil {
			return s, err
		}
		s.products[p.code] = id
	}
	return s, nil
}

// demoPartners is the partners file: the three partners with their channels, crosswalks and tokens.
func demoPartners(outbox string) string {
	hash := func(token string) string {
		h := sha256.Sum256([]byte(token))
		return hex.EncodeToString(h[:])
	}
	var acmeItems, nwItems strings.Builder
	for _, p := range demoProducts {
		fmt.Fprintf(&acmeItems, "      - {partner_item: %s, product: %s}\n", p.acme, p.code)
		fmt.Fprintf(&nwItems, "      - {partner_item: %s, product: %s}\n", p.northwind, p.code)
	}
	return fmt.Sprintf(`# Written by crossdock demo.
partners:
  - id: acme
    name: ACME Supply Co.
    roles: [supplier]
    identifiers:
      isa: [{qualifier: ZZ, id: ACMESUPPLY}]
    channels:
      - {kind: http, format: x12, documents: [asn, invoice, order_ack, functional_ack]}
      - {kind: outbox, format: x12, documents: [purchase_order], dir: %s}
    items:
%s    units:
      - {partner_unit: EA, factor: 1, unit: EA}
      - {partner_unit: CS, factor: 12, unit: EA}
    tolerances: {over_ship_percent: 5, price_variance_percent: 2}
    sla: {ack_within_hours: 24, asn_lead_hours: 12, invoice_within_days: 30}
    tokens:
      - {name: acme-demo, kinds: [asn, invoice, order_ack, functional_ack], sha256: %s}
  - id: northwind
    name: Northwind Logistics
    roles: [warehouse]
    identifiers:
      isa: [{qualifier: ZZ, id: NORTHWIND}]
    channels:
      - {kind: http, format: x12, documents: [receipt, inventory_snapshot, ship_confirmation, functional_ack]}
      - {kind: outbox, format: x12, documents: [warehouse_order], dir: %s}
    items:
%s    units:
      - {partner_unit: EA, factor: 1, unit: EA}
    sla: {ship_confirm_within_hours: 24, inventory_every_hours: 24}
    tokens:
      - {name: northwind-demo, kinds: [receipt, inventory_snapshot, ship_confirmation, functional_ack], sha256: %s}
  - id: swiftline
    name: Swiftline Freight
    roles: [carrier]
    identifiers:
      isa: [{qualifier: ZZ, id: SWIFTLINE}]
      scac: [SWFT]
    channels:
      - {kind: http, format: x12, documents: [shipment_status]}
    tokens:
      - {name: swiftline-demo, kinds: [shipment_status], sha256: %s}
`, filepath.Join(outbox, "acme"), acmeItems.String(), hash(demoAcmeToken), filepath.Join(outbox, "northwind"), nwItems.String(),
		hash(demoNorthwindToken), hash(demoSwiftlineToken))
}

// demoTraffic plays the partners.
type demoTraffic struct {
	sim     *odoosim.Server
	seed    demoSeed
	hub     string
	outbox  string
	out     io.Writer
	client  *http.Client
	control int
	// onHand is what Northwind holds per product, for its 846; owed is what a short receipt left to come.
	onHand map[string]float64
	owed   []demoLine
	po     string // the last cycle's order, for what is owed
}

type demoLine struct {
	p   int // index in demoProducts
	qty float64
}

// cycle runs one round of procure-to-pay and order-to-ship.
func (t *demoTraffic) cycle(ctx context.Context, k int) error {
	if t.onHand == nil {
		t.onHand = map[string]float64{}
	}
	now := time.Now().UTC()
	day := now.Format("20060102")
	hhmm := now.Format("1504")
	// The goods reach the warehouse two days after ACME ships them (its ASN comes well ahead).
	arrival := now.Add(48 * time.Hour).Format("20060102")

	// The rest of the previous cycle's short receipt arrives.
	if len(t.owed) > 0 {
		var w07 []string
		total := 0.0
		for _, l := range t.owed {
			w07 = append(w07, fmt.Sprintf("W07*%g*EA**VN*%s", l.qty, demoProducts[l.p].northwind))
			total += l.qty
			t.onHand[demoProducts[l.p].code] += l.qty
		}
		body := append([]string{fmt.Sprintf("W17*F*%s*RCV-%d-B*%s", arrival, k-1, t.po)}, w07...)
		body = append(body, fmt.Sprintf("W14*%g", total))
		if err := t.post(ctx, "NORTHWIND", demoNorthwindToken, "RE", "944", body...); err != nil {
			return err
		}
		fmt.Fprintf(t.out, "cycle %d: Northwind received the rest of %s (944 RCV-%d-B)\n", k, t.po, k-1)
		t.owed = nil
	}

	// Procure to pay: a purchase order confirmed in Odoo.
	lines := []demoLine{{0, float64(60 + 12*(k%3))}, {1, 36}}
	if k%2 == 0 {
		lines = append(lines, demoLine{2, 24})
	}
	var orderLines []any
	for _, l := range lines {
		orderLines = append(orderLines, []any{0, 0, map[string]any{"product_id": t.seed.products[demoProducts[l.p].code],
			"product_qty": l.qty, "price_unit": demoProducts[l.p].price}})
	}
	po, err := t.sim.Create("purchase.order", map[string]any{"partner_id": t.seed.supplier, "order_line": orderLines})
	if err != nil {
		return err
	}
	if _, err := t.sim.Call("purchase.order", "button_confirm", []any{[]any{po}}, nil); err != nil {
		return err
	}
	rec, _ := t.sim.Read("purchase.order", po)
	name, _ := rec["name"].(string)
	t.po = name
	file, err := t.waitFile(ctx, filepath.Join(t.outbox, "acme"), "purchase_order_"+name+"_r1_")
	if err != nil {
		return err
	}
	fmt.Fprintf(t.out, "cycle %d: %s confirmed in Odoo, sent to ACME as an 850 (%s)\n", k, name, filepath.Base(file))

	ack := []string{fmt.Sprintf("BAK*00*AC*%s*%s", name, day)}
	for i, l := range lines {
		p := demoProducts[l.p]
		ack = append(ack, fmt.Sprintf("PO1*%d*%g*EA*%.2f**VP*%s", i+1, l.qty, p.price, p.acme), fmt.Sprintf("ACK*IA*%g*EA", l.qty))
	}
	ack = append(ack, fmt.Sprintf("CTT*%d", len(lines)))
	if err := t.post(ctx, "ACMESUPPLY", demoAcmeToken, "PR", "855", ack...); err != nil {
		return err
	}
	asn := []string{fmt.Sprintf("BSN*00*ASN-%d*%s*%s*0001", k, day, hhmm), "HL*1**S", "TD5**2*SWFT", fmt.Sprintf("REF*BM*BOL-%d", k),
		fmt.Sprintf("DTM*011*%s", day), fmt.Sprintf("DTM*017*%s", arrival),
		"N1*ST*MAIN WAREHOUSE*92*WH1", "HL*2*1*O", "PRF*" + name}
	hl := 3
	for i, l := range lines {
		asn = append(asn, fmt.Sprintf("HL*%d*2*I", hl), fmt.Sprintf("LIN*%d*VP*%s", i+1, demoProducts[l.p].acme), fmt.Sprintf("SN1*%d*%g*EA", i+1, l.qty))
		hl++
	}
	asn = append(asn, fmt.Sprintf("CTT*%d", hl-1))
	if err := t.post(ctx, "ACMESUPPLY", demoAcmeToken, "SH", "856", asn...); err != nil {
		return err
	}

	// Northwind receives; one receipt in two is 2 short of the first item, the rest coming next cycle.
	received := make([]float64, len(lines))
	var w07 []string
	total := 0.0
	for i, l := range lines {
		received[i] = l.qty
		if i == 0 && k%2 == 1 {
			received[i] = l.qty - 2
			t.owed = []demoLine{{l.p, 2}}
		}
		w07 = append(w07, fmt.Sprintf("W07*%g*EA**VN*%s", received[i], demoProducts[l.p].northwind))
		total += received[i]
		t.onHand[demoProducts[l.p].code] += received[i]
	}
	body := append([]string{fmt.Sprintf("W17*F*%s*RCV-%d*%s", arrival, k, name), fmt.Sprintf("N9*MA*ASN-%d", k)}, w07...)
	body = append(body, fmt.Sprintf("W14*%g", total))
	if err := t.post(ctx, "NORTHWIND", demoNorthwindToken, "RE", "944", body...); err != nil {
		return err
	}
	short := ""
	if len(t.owed) > 0 {
		short = ", 2 short"
	}
	fmt.Fprintf(t.out, "cycle %d: ACME acknowledged and shipped it (855, 856 ASN-%d); Northwind received it (944 RCV-%d%s)\n", k, k, k, short)

	// ACME invoices what it shipped; one invoice in three at a price 5% above the order's.
	inv := []string{fmt.Sprintf("BIG*%s*INV-%d**%s", day, k, name), "CUR*SE*USD"}
	cents := 0.0
	for i, l := range lines {
		price := demoProducts[l.p].price
		if k%3 == 0 && i == 0 {
			price *= 1.05
		}
		inv = append(inv, fmt.Sprintf("IT1*%d*%g*EA*%.4f**VP*%s", i+1, l.qty, price, demoProducts[l.p].acme))
		cents += l.qty * price * 100
	}
	inv = append(inv, fmt.Sprintf("TDS*%.0f", cents), fmt.Sprintf("CTT*%d", len(lines)))
	if err := t.post(ctx, "ACMESUPPLY", demoAcmeToken, "IN", "810", inv...); err != nil {
		return err
	}
	fmt.Fprintf(t.out, "cycle %d: ACME invoiced it (810 INV-%d)\n", k, k)

	// Order to ship: a sales order confirmed in Odoo.
	sold := []demoLine{{0, 10}, {1, float64(4 + k%3)}}
	var soLines []any
	for _, l := range sold {
		soLines = append(soLines, []any{0, 0, map[string]any{"product_id": t.seed.products[demoProducts[l.p].code], "product_uom_qty": l.qty,
			"price_unit": demoProducts[l.p].price * 1.6}})
	}
	so, err := t.sim.Create("sale.order", map[string]any{"partner_id": t.seed.customer, "client_order_ref": fmt.Sprintf("BOLT-%d", k), "order_line": soLines})
	if err != nil {
		return err
	}
	if _, err := t.sim.Call("sale.order", "action_confirm", []any{[]any{so}}, nil); err != nil {
		return err
	}
	rec, _ = t.sim.Read("sale.order", so)
	soName, _ := rec["name"].(string)
	file, err = t.waitFile(ctx, filepath.Join(t.outbox, "northwind"), "warehouse_order_"+soName+"_r1_")
	if err != nil {
		return err
	}
	tracking := fmt.Sprintf("1ZDEMO%010d", k)
	ship := []string{fmt.Sprintf("W06*N*%s*%s*SHP-%d", soName, day, k), "N9*CN*" + tracking,
		fmt.Sprintf("G62*11*%s*8*%s", day, hhmm)}
	for i, l := range sold {
		ship = append(ship, fmt.Sprintf("LX*%d", i+1), fmt.Sprintf("W12*CC*%g*%g*0*EA**VN*%s", l.qty, l.qty, demoProducts[l.p].northwind))
		t.onHand[demoProducts[l.p].code] -= l.qty
	}
	ship = append(ship, fmt.Sprintf("W03*%d", len(sold)))
	if err := t.post(ctx, "NORTHWIND", demoNorthwindToken, "SW", "945", ship...); err != nil {
		return err
	}
	if err := t.post(ctx, "SWIFTLINE", demoSwiftlineToken, "QM", "214", fmt.Sprintf("B10*%s*SHP-%d*SWFT", tracking, k), "L11*"+soName+"*CO",
		"LX*1", fmt.Sprintf("AT7*D1*NS***%s*%s*UT", day, hhmm), "MS1*AUSTIN*TX*US"); err != nil {
		return err
	}
	fmt.Fprintf(t.out, "cycle %d: %s confirmed in Odoo, sent to Northwind as a 940 (%s), shipped (945, %s) and delivered (214)\n",
		k, soName, filepath.Base(file), tracking)

	// Northwind's stock report; it counts one blue widget fewer than it should (a divergence to find).
	snap := []string{fmt.Sprintf("BIA*00*MM*INV-%d*%s*%s", k, day, hhmm)}
	for i, p := range demoProducts {
		q := t.onHand[p.code]
		if i == 0 && q > 0 {
			q--
		}
		snap = append(snap, fmt.Sprintf("LIN*%d*VN*%s", i+1, p.northwind), fmt.Sprintf("QTY*17*%g*EA", q))
	}
	if err := t.post(ctx, "NORTHWIND", demoNorthwindToken, "IB", "846", snap...); err != nil {
		return err
	}
	fmt.Fprintf(t.out, "cycle %d: Northwind reported its stock (846)\n", k)
	return nil
}

// post sends one X12 transaction set from sender, as the partner's system would.
func (t *demoTraffic) post(ctx context.Context, sender, token, functionalID, set string, body ...string) error {
	t.control++
	control := fmt.Sprintf("%09d", 100000+t.control)
	now := time.Now().UTC()
	segs := []string{
		fmt.Sprintf("ISA*00*          *00*          *ZZ*%-15s*ZZ*CROSSDOCK      *%s*%s*U*00401*%s*0*P*>", sender, now.Format("060102"), now.Format("1504"), control),
		fmt.Sprintf("GS*%s*%s*CROSSDOCK*%s*%s*%d*X*004010", functionalID, sender, now.Format("20060102"), now.Format("1504"), 100000+t.control),
		"ST*" + set + "*0001",
	}
	segs = append(segs, body...)
	segs = append(segs, fmt.Sprintf("SE*%d*0001", len(body)+2), fmt.Sprintf("GE*1*%d", 100000+t.control), "IEA*1*"+control)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.hub+"/api/v1/documents", bytes.NewBufferString(strings.Join(segs, "~\n")+"~\n"))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/edi-x12")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := t.client.Do(req)
	if err != nil {
		return fmt.Errorf("post the %s: %w", set, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK || !bytes.Contains(answer, []byte(`"status":"accepted"`)) {
		return fmt.Errorf("the hub did not accept the %s (%s): %s", set, resp.Status, answer)
	}
	return nil
}

// waitFile waits for a file whose name starts with prefix in dir, as a partner's pick-up would.
func (t *demoTraffic) waitFile(ctx context.Context, dir, prefix string) (string, error) {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return "", err
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), prefix) {
				return filepath.Join(dir, e.Name()), nil
			}
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return "", fmt.Errorf("no %s* in %s within a minute", prefix, dir)
}
