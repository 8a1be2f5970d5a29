package edifactdoc

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/invoice"
)

// invoiceTypes maps BGM 1001 (document name code) to the invoice type. Anything else (a pro-forma
// 325, a self-billed invoice 389 whose seller is the buyer...) is refused rather than booked.
var invoiceTypes = map[string]string{
	"380": invoice.TypeDebit,  // commercial invoice
	"383": invoice.TypeDebit,  // debit note
	"384": invoice.TypeDebit,  // corrected invoice
	"381": invoice.TypeCredit, // credit note
}

// totalPreference ranks the summary amounts (5025) that state the invoice total: 77 invoice amount,
// 86 message total monetary amount, 128 total amount, 39 invoice total amount. The first present is
// Invoice.Total; the others, when present, must agree with it (a warning says when they do not).
var totalPreference = []string{"77", "86", "128", "39"}

// allowanceCharge is one ALC group while it is read.
type allowanceCharge struct {
	charge invoice.Charge
	seg    *edifact.Segment
	amount bool // an amount MOA was read
}

// invoiceLine is one LIN of an INVOIC while it is read.
type invoiceLine struct {
	seg     *edifact.Segment
	ids     itemIDs
	qty     domain.Quantity
	hasQty  bool
	prices  []price
	amounts map[string]moneyAmount // MOA 203, 66
	poLine  string
	hasALC  bool // a line-level ALC: its effect is in the line amount (MOA 203), not in the charges
}

// invoiceSummary is what the summary section (after UNS) states.
type invoiceSummary struct {
	totals   map[string]moneyAmount // 77, 86, 128, 39, 79
	taxes    []moneyAmount          // MOA 124, one per tax rate
	taxTotal *moneyAmount           // MOA 176
	charges  []*allowanceCharge
	uns      *edifact.Segment
}

// mapINVOIC maps an invoice or credit note to an invoice.Invoice.
//
// Sections are told apart by position: the header runs to the first LIN, the detail to UNS, the summary
// after it. In the detail, MOA 203 (else 66) is the line amount and a line-level ALC is already in it;
// in the summary, MOA 79 (total of the line amounts) is checked against the lines, MOA 124 (summed over
// the tax rates) or 176 is the tax, and the total is chosen by totalPreference. Allowances and charges
// are those of the header (ALC before the first LIN); when the header has none, those of the summary,
// which otherwise only restate the header's.
func mapINVOIC(m *mapper) domain.Document {
	var (
		inv        invoice.Invoice
		bgm        *edifact.Segment
		hdr        = dates{}
		headerALC  []*allowanceCharge
		alc        *allowanceCharge // the open ALC group, whose MOA is its amount
		lines      []*invoiceLine
		ln         *invoiceLine
		sum        = invoiceSummary{totals: map[string]moneyAmount{}}
		summary    []moneyAmount // the MOAs after UNS, outside ALC groups
		currencyOf *edifact.Segment
	)
	body := m.body()
	for i := range body {
		s := &body[i]
		switch s.Tag {
		case "BGM":
			bgm = s
		case "DTM":
			if ln == nil && sum.uns == nil {
				m.addDate(hdr, s, "3", "137")
			}
		case "RFF":
			m.invoiceRFF(&inv, ln, s)
		case "CUX":
			if inv.Currency == "" {
				inv.Currency, currencyOf = strings.TrimSpace(s.Component(1, 2)), s
			}
		case "NAD":
			if ln == nil && sum.uns == nil {
				if p := party(s); p.Role != "" {
					inv.Parties = append(inv.Parties, p)
				}
			}
		case "FTX":
			if s.Element(1) == "AAB" && inv.Terms == "" && ln == nil {
				inv.Terms = ftxText(s)
			}
		case "ALC":
			alc = m.alc(s)
			switch {
			case alc == nil:
			case sum.uns != nil:
				sum.charges = append(sum.charges, alc)
			case ln != nil:
				ln.hasALC = true
				alc = nil // its amounts are in the line's MOA 203
			default:
				headerALC = append(headerALC, alc)
			}
		case "LIN":
			alc = nil
			ln = &invoiceLine{seg: s, amounts: map[string]moneyAmount{}}
			m.lin(&ln.ids, s)
			lines = append(lines, ln)
		case "PIA":
			if ln != nil {
				m.pia(&ln.ids, s)
			}
		case "IMD":
			if ln != nil {
				imd(&ln.ids, s)
			}
		case "QTY":
			if ln != nil && sum.uns == nil && s.Component(1, 1) == "47" {
				if ln.hasQty {
					m.fail(s, 1, 1, edifact.CodeInvalidValue, "a second invoiced quantity (QTY+47) for line "+quote(ln.seg.Element(1)))
				} else if q, ok := m.quantity(s, "invoiced quantity"); ok {
					ln.qty, ln.hasQty = q, true
				}
			}
		case "PRI":
			if ln != nil && sum.uns == nil {
				if p, ok := m.pri(s); ok {
					ln.prices = append(ln.prices, p)
				}
			}
		case "TAX":
			alc = nil
		case "UNS":
			alc, ln = nil, nil
			sum.uns = s
		case "MOA":
			a, ok := m.moa(s)
			if !ok {
				continue
			}
			switch {
			case alc != nil && isALCAmount(a.qualifier):
				if !alc.amount {
					alc.charge.Amount, alc.amount = a.amount, true
				}
			case ln != nil && sum.uns == nil:
				if a.qualifier == "203" || a.qualifier == "66" {
					if _, dup := ln.amounts[a.qualifier]; !dup {
						ln.amounts[a.qualifier] = a
					}
				}
			case sum.uns != nil:
				summary = append(summary, a)
			}
		}
	}

	if bgm == nil {
		m.missingSegment("BGM", "BGM segment (invoice number and type)")
	} else {
		m.invoiceBGM(&inv, bgm)
	}
	if st, ok := hdr.first("3", "137"); ok {
		inv.InvoiceDate = st.at
	} else {
		m.missingSegment("DTM", "invoice date (DTM+3 or DTM+137)")
	}
	if inv.PONumber == "" {
		m.missingSegment("RFF", "purchase order number (RFF+ON)")
	}
	inv.Currency = currency(inv.Currency, summary)
	for _, a := range summary {
		if a.currency != "" && a.currency != inv.Currency {
			m.warn("%s: MOA+%s %s is in %s, the invoice in %s (%s); ignored", where(a.seg), a.qualifier, a.amount,
				a.currency, inv.Currency, currencySource(currencyOf))
			continue
		}
		sum.add(a)
	}

	if len(lines) == 0 {
		m.missingSegment("LIN", "line item (LIN)")
	}
	for _, l := range lines {
		inv.Lines = append(inv.Lines, m.invoiceLine(l))
	}

	charges := headerALC
	if len(charges) == 0 {
		charges = sum.charges
	}
	for _, c := range charges {
		if !c.amount {
			m.warn("%s: allowance or charge %q states no amount (MOA 8, 23, 131 or 204); it is not counted", where(c.seg), c.charge.Code)
			continue
		}
		inv.Charges = append(inv.Charges, c.charge)
	}
	m.invoiceTotals(&inv, &sum)
	return inv
}

// invoiceBGM reads the document type (1001) and number (1004).
func (m *mapper) invoiceBGM(inv *invoice.Invoice, bgm *edifact.Segment) {
	code := bgm.Component(1, 1)
	t, ok := invoiceTypes[code]
	if !ok {
		m.fail(bgm, 1, 1, edifact.CodeNotSupportedValue, "BGM element 1 (document name code) "+quote(code)+
			" is not an invoice Crossdock books: 380 invoice, 381 credit note, 383 debit note, 384 corrected invoice")
	}
	inv.Type = t
	inv.InvoiceNumber = m.required(bgm, 2, 1, "invoice number")
	switch f := bgm.Element(3); f {
	case "", "9", "7", "31", "43", "5":
	default:
		m.fail(bgm, 3, 0, edifact.CodeNotSupportedValue, "BGM element 3 (message function) "+quote(f)+
			" is not supported for an invoice: 9 original, 5 replace (or 7, 31, 43 for a resent original)")
	}
}

// invoiceRFF reads ON: the purchase order, and under a LIN the purchase order line (1156).
func (m *mapper) invoiceRFF(inv *invoice.Invoice, ln *invoiceLine, s *edifact.Segment) {
	if s.Component(1, 1) != "ON" {
		return
	}
	v := strings.TrimSpace(s.Component(1, 2))
	if v == "" {
		m.fail(s, 1, 2, edifact.CodeMissing, "RFF element 1 component 2 (purchase order number) is missing")
		return
	}
	if ln != nil {
		ln.poLine = s.Component(1, 3)
	}
	switch {
	case inv.PONumber == "":
		inv.PONumber = v
	case inv.PONumber != v:
		m.warn("%s: purchase order %q differs from %q; the canonical invoice has one purchase order, %q is kept",
			where(s), v, inv.PONumber, inv.PONumber)
	}
}

// alc reads an ALC segment: 5463 A allowance or C charge, C552 (1230 number, 5189 code) and C214
// (7161 special service code, 7160 description). N (no allowance or charge) gives nil.
func (m *mapper) alc(s *edifact.Segment) *allowanceCharge {
	c := &allowanceCharge{seg: s}
	switch q := s.Element(1); q {
	case "A":
		c.charge.Allowance = true
	case "C":
	case "N":
		return nil
	default:
		m.fail(s, 1, 0, edifact.CodeNotSupportedValue, "ALC element 1 (allowance or charge qualifier) "+quote(q)+
			" is neither A (allowance) nor C (charge)")
		return nil
	}
	for _, v := range []string{s.Component(2, 1), s.Component(2, 2), s.Component(5, 1)} {
		if v != "" {
			c.charge.Code = v
			break
		}
	}
	c.charge.Description = strings.TrimSpace(s.Component(5, 4) + " " + s.Component(5, 5))
	return c
}

// isALCAmount reports whether a MOA qualifier is the amount of an allowance or charge: 8 allowance or
// charge amount, 23 charge amount, 131 total charges/allowances, 204 allowance amount. (25, the basis
// the charge was computed on, is not.)
func isALCAmount(q string) bool { return q == "8" || q == "23" || q == "131" || q == "204" }

// add records a summary MOA.
func (sum *invoiceSummary) add(a moneyAmount) {
	switch a.qualifier {
	case "124":
		sum.taxes = append(sum.taxes, a)
	case "176":
		if sum.taxTotal == nil {
			sum.taxTotal = &a
		}
	case "77", "86", "128", "39", "79":
		if _, dup := sum.totals[a.qualifier]; !dup {
			sum.totals[a.qualifier] = a
		}
	}
}

// currency is the invoice currency: CUX, else the currency of the first summary MOA that gives one.
func currency(cux string, summary []moneyAmount) string {
	if cux != "" {
		return cux
	}
	for _, a := range summary {
		if a.currency != "" {
			return a.currency
		}
	}
	return ""
}

func currencySource(cux *edifact.Segment) string {
	if cux != nil {
		return "CUX at " + where(cux)
	}
	return "the first MOA with a currency"
}

// invoiceLine builds one canonical line.
func (m *mapper) invoiceLine(l *invoiceLine) invoice.Line {
	line := invoice.Line{Number: l.seg.Element(1), Item: l.ids.ref, Quantity: l.qty, POLine: l.poLine}
	if line.Number == "" {
		m.fail(l.seg, 1, 0, edifact.CodeMissing, "LIN element 1 (line item number) is missing")
	}
	m.requireItem(&l.ids, l.seg)
	if !l.hasQty {
		m.fail(l.seg, 0, 0, edifact.CodeMissing, "line "+quote(line.Number)+" has no invoiced quantity (QTY+47)")
	}
	if p, ok := bestPrice(l.prices); ok {
		line.UnitPrice = p.amount
		if p.unit != "" && l.hasQty && !strings.EqualFold(p.unit, l.qty.Unit) {
			m.warn("%s: the price of line %q is per %s, its quantity in %s; quantity × price is not the line amount",
				where(p.seg), line.Number, p.unit, l.qty.Unit)
		}
	} else {
		m.fail(l.seg, 0, 0, edifact.CodeMissing, "line "+quote(line.Number)+" has no unit price (PRI+AAA, PRI+INV or PRI+AAB)")
	}
	for _, q := range []string{"203", "66"} {
		if a, ok := l.amounts[q]; ok {
			amount := a.amount
			line.Amount = &amount
			break
		}
	}
	if l.hasALC && line.Amount == nil {
		m.warn("%s: line %q has an allowance or charge but no line amount (MOA+203); quantity × price leaves it out",
			where(l.seg), line.Number)
	}
	return line
}

// invoiceTotals sets the total and the tax from the summary and checks MOA 79 against the lines.
func (m *mapper) invoiceTotals(inv *invoice.Invoice, sum *invoiceSummary) {
	var chosen *moneyAmount
	for _, q := range totalPreference {
		a, ok := sum.totals[q]
		if !ok {
			continue
		}
		if chosen == nil {
			chosen = &a
			total := a.amount
			inv.Total = &total
			continue
		}
		if !a.amount.Equal(chosen.amount) {
			m.warn("%s: MOA+%s says %s, MOA+%s %s; the total is MOA+%s", where(a.seg), a.qualifier, a.amount,
				chosen.qualifier, chosen.amount, chosen.qualifier)
		}
	}
	if len(sum.taxes) > 0 || sum.taxTotal != nil {
		taxes := decimal.Zero
		for _, t := range sum.taxes {
			taxes = taxes.Add(t.amount)
		}
		tax := taxes
		if sum.taxTotal != nil {
			tax = sum.taxTotal.amount
			if len(sum.taxes) > 0 && !taxes.Equal(tax) {
				m.warn("%s: the tax amounts (MOA+124) add up to %s, MOA+176 says %s; the tax is MOA+176",
					where(sum.taxTotal.seg), taxes, tax)
			}
		}
		inv.Tax = &tax
	}
	if a, ok := sum.totals["79"]; ok && len(inv.Lines) > 0 {
		lines := decimal.Zero
		for _, l := range inv.Lines {
			lines = lines.Add(l.Extended())
		}
		if !lines.Equal(a.amount) {
			m.warn("%s: MOA+79 (total of the line amounts) says %s, the lines add up to %s", where(a.seg), a.amount, lines)
		}
	}
}

// ftxText joins the free text of an FTX segment (C108, element 4).
func ftxText(s *edifact.Segment) string {
	if len(s.Elements) < 4 {
		return ""
	}
	var parts []string
	for _, c := range s.Elements[3] {
		if c = strings.TrimSpace(c); c != "" {
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, " ")
}
