// Package inbound turns a partner's raw message, in any format Crossdock reads, into canonical documents:
// it detects the format, runs the strict reader for it (X12, EDIFACT, CSV, a carrier or WMS webhook, or
// Crossdock's own canonical JSON) and the mapper onto the domain's documents, and says what went wrong
// and where. It keeps no state and needs no partner set up, which is what `crossdock inspect` relies on;
// a partner's settings (CSV column map, inventory qualifiers) come in Options.
package inbound

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"slices"
	"strings"

	"github.com/crossdock-hub/crossdock/adapters/csvdoc"
	"github.com/crossdock-hub/crossdock/adapters/edi/edifact"
	"github.com/crossdock-hub/crossdock/adapters/edi/edifactdoc"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12"
	"github.com/crossdock-hub/crossdock/adapters/edi/x12doc"
	"github.com/crossdock-hub/crossdock/adapters/webhooks"
	"github.com/crossdock-hub/crossdock/domain"
)

// Formats Crossdock reads. The webhook formats are webhooks.Format*.
const (
	FormatX12     = "x12"
	FormatEDIFACT = "edifact"
	FormatCSV     = "csv"
	// FormatJSON is Crossdock's canonical JSON: one document, with its "kind".
	FormatJSON = "json"
)

// ErrUnknownFormat means the body's format could not be told from its content type or its bytes.
var ErrUnknownFormat = errors.New("unknown format")

// Options carry what a partner's profile says about reading its messages. The zero value reads every
// format with the defaults, as `crossdock inspect` does.
type Options struct {
	X12     x12doc.Options
	EDIFACT edifactdoc.Options
	// CSV are the partner's column maps, one per kind of file it sends; none sniffs a header of canonical
	// field names. With several, Kind picks one, else the first that reads the file.
	CSV []csvdoc.Map
	// Kind is the document kind of a canonical JSON body that does not name its own.
	Kind string
}

// Source says where a document sits in its message.
type Source struct {
	// Standard is the format the document came in.
	Standard string `json:"standard"`
	// Interchange, Group and Control are the EDI envelope's control numbers (ISA13 / UNB05, GS06 / UNG05,
	// ST02 / UNH01); Code is the transaction set or message type ("856", "INVOIC").
	Interchange string `json:"interchange,omitempty"`
	Group       string `json:"group,omitempty"`
	Control     string `json:"control,omitempty"`
	Code        string `json:"code,omitempty"`
	// Index is the document's place in the message, from 0.
	Index int `json:"index"`
}

func (s Source) String() string {
	switch {
	case s.Code != "" && s.Control != "":
		return fmt.Sprintf("%s %s (control %s)", s.Standard, s.Code, s.Control)
	case s.Group != "":
		return fmt.Sprintf("%s group %s (interchange %s)", s.Standard, s.Group, s.Interchange)
	case s.Interchange != "":
		return fmt.Sprintf("%s interchange %s", s.Standard, s.Interchange)
	default:
		return fmt.Sprintf("%s document %d", s.Standard, s.Index+1)
	}
}

// Document is one canonical document found in a message.
type Document struct {
	Document domain.Document
	Source   Source
	Warnings []string
}

// Problem is one reason a message, or a part of it, cannot be taken, with its position.
type Problem struct {
	Source Source
	// Where is the position for people: "segment 33 (SE) element 1", "line 7, column 3 (on_hand)",
	// "/lines/2/quantity".
	Where string
	// Pointer is the JSON pointer of the offending member, for JSON bodies.
	Pointer string
	Reason  string
}

func (p Problem) Error() string {
	if p.Where == "" {
		return p.Reason
	}
	return p.Where + ": " + p.Reason
}

// Decoded is what a message holds.
type Decoded struct {
	Format    string
	Documents []Document
	// Problems are the parts that cannot be taken. An EDI message may have good and bad transaction sets:
	// the good ones are in Documents, and the acknowledgment tells the partner which is which.
	Problems []Problem
	// Warnings are about the message as a whole (e.g. a charset label its bytes do not keep to).
	Warnings []string
	// X12 and EDIFACT are the parsed interchanges, for the functional acknowledgment; X12Results and
	// EDIFACTResults say per set or message what became of it.
	X12            *x12.File
	X12Results     []x12doc.Result
	EDIFACT        *edifact.File
	EDIFACTResults []edifactdoc.Result
}

// Detect tells a body's format from its content type, else from its first bytes.
func Detect(contentType string, body []byte) (string, error) {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		switch mt {
		case "application/edi-x12", "application/x12":
			return FormatX12, nil
		case "application/edifact", "application/edi-edifact":
			return FormatEDIFACT, nil
		case "text/csv", "application/csv":
			return FormatCSV, nil
		}
	}
	b := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case bytes.HasPrefix(b, []byte("ISA")):
		return FormatX12, nil
	case bytes.HasPrefix(b, []byte("UNA")) || bytes.HasPrefix(b, []byte("UNB")):
		return FormatEDIFACT, nil
	case bytes.HasPrefix(b, []byte("{")) || bytes.HasPrefix(b, []byte("[")):
		if f, ok := webhooks.Detect(body); ok {
			return f, nil
		}
		return FormatJSON, nil
	case len(b) == 0:
		return "", fmt.Errorf("%w: the body is empty", ErrUnknownFormat)
	}
	if _, ok := csvdoc.Sniff(body); ok {
		return FormatCSV, nil
	}
	return "", fmt.Errorf("%w: the body is not X12 (ISA), EDIFACT (UNA/UNB), JSON, or a CSV with a header of canonical field names", ErrUnknownFormat)
}

// Decode reads body as format. It returns an error only when nothing of the body can be read (the
// envelope cannot be framed, the JSON is not JSON); that error is a Problem with the position.
func Decode(format string, body []byte, opts Options) (*Decoded, error) {
	var d *Decoded
	var err error
	switch {
	case format == FormatX12:
		d, err = decodeX12(body, opts)
	case format == FormatEDIFACT:
		d, err = decodeEDIFACT(body, opts)
	case format == FormatCSV:
		d, err = decodeCSV(body, opts)
	case format == FormatJSON:
		d, err = decodeJSON(body, opts)
	case isWebhook(format):
		d, err = decodeWebhook(format, body)
	default:
		return nil, fmt.Errorf("%w: %q", ErrUnknownFormat, format)
	}
	return d, err
}

func isWebhook(format string) bool { return slices.Contains(webhooks.Formats, format) }

func decodeX12(body []byte, opts Options) (*Decoded, error) {
	f, err := x12.Parse(body)
	if err != nil {
		return nil, x12Problem(Source{Standard: FormatX12}, err)
	}
	d := &Decoded{Format: FormatX12, X12: f}
	// Mappers repeat the reader's envelope errors on each set they concern: each is told once.
	seen := map[*x12.Error]bool{}
	add := func(src Source, e *x12.Error) {
		if !seen[e] {
			seen[e] = true
			d.Problems = append(d.Problems, x12Problem(src, e))
		}
	}
	for _, ic := range f.Interchanges {
		for _, e := range ic.Errors {
			add(Source{Standard: FormatX12, Interchange: ic.Control}, e)
		}
		for _, g := range ic.Groups {
			for _, e := range g.Errors {
				add(Source{Standard: FormatX12, Interchange: ic.Control, Group: g.Control}, e)
			}
		}
	}
	d.X12Results = x12doc.Map(f, opts.X12)
	for i, r := range d.X12Results {
		src := Source{Standard: FormatX12, Index: i}
		if r.Interchange != nil {
			src.Interchange = r.Interchange.Control
		}
		if r.Group != nil {
			src.Group = r.Group.Control
		}
		if r.Transaction != nil {
			src.Control, src.Code = r.Transaction.Control, r.Transaction.Code
			for _, e := range r.Transaction.Errors {
				add(src, e)
			}
		}
		for _, e := range r.Errors {
			add(src, e)
		}
		if r.Document != nil && len(r.Errors) == 0 && (r.Transaction == nil || len(r.Transaction.Errors) == 0) {
			d.Documents = append(d.Documents, Document{Document: r.Document, Source: src, Warnings: r.Warnings})
		}
	}
	return d, nil
}

func x12Problem(src Source, err error) Problem {
	var e *x12.Error
	if errors.As(err, &e) {
		return Problem{Source: src, Where: x12Where(e), Reason: e.Reason}
	}
	return Problem{Source: src, Reason: err.Error()}
}

func x12Where(e *x12.Error) string {
	if e.Segment == 0 {
		if e.Offset > 0 {
			return fmt.Sprintf("byte %d", e.Offset)
		}
		return ""
	}
	w := fmt.Sprintf("segment %d (%s)", e.Segment, e.SegmentID)
	if e.Element > 0 {
		w += fmt.Sprintf(" element %s%02d", e.SegmentID, e.Element)
		if e.Component > 0 {
			w += fmt.Sprintf("-%d", e.Component)
		}
	}
	return w
}

func decodeEDIFACT(body []byte, opts Options) (*Decoded, error) {
	f, err := edifact.Parse(body)
	if err != nil {
		return nil, edifactProblem(Source{Standard: FormatEDIFACT}, err)
	}
	d := &Decoded{Format: FormatEDIFACT, EDIFACT: f}
	// The mapper repeats the reader's errors on each message they concern: each is told once. An error
	// the reader put on a message and on its interchange too (a character-set violation) is told as the
	// message's, which names where it is.
	seen := map[*edifact.Error]bool{}
	add := func(src Source, e *edifact.Error) {
		if !seen[e] {
			seen[e] = true
			d.Problems = append(d.Problems, edifactProblem(src, e))
		}
	}
	for _, ic := range f.Interchanges {
		d.Warnings = append(d.Warnings, ic.Warnings...)
		onMessage := map[*edifact.Error]bool{}
		for _, m := range ic.AllMessages() {
			for _, e := range m.Errors {
				onMessage[e] = true
			}
		}
		for _, e := range ic.Errors {
			if !onMessage[e] {
				add(Source{Standard: FormatEDIFACT, Interchange: ic.Reference}, e)
			}
		}
		for _, g := range ic.Groups {
			for _, e := range g.Errors {
				add(Source{Standard: FormatEDIFACT, Interchange: ic.Reference, Group: g.Reference}, e)
			}
		}
	}
	d.EDIFACTResults = edifactdoc.Map(f, opts.EDIFACT)
	for i, r := range d.EDIFACTResults {
		src := Source{Standard: FormatEDIFACT, Index: i}
		if r.Interchange != nil {
			src.Interchange = r.Interchange.Reference
		}
		if r.Group != nil {
			src.Group = r.Group.Reference
		}
		if r.Message != nil {
			src.Control, src.Code = r.Message.Reference, r.Message.Type
			for _, e := range r.Message.Errors {
				add(src, e)
			}
		}
		for _, e := range r.Errors {
			add(src, e)
		}
		if r.Document != nil && len(r.Errors) == 0 && (r.Message == nil || len(r.Message.Errors) == 0) {
			d.Documents = append(d.Documents, Document{Document: r.Document, Source: src, Warnings: r.Warnings})
		}
	}
	return d, nil
}

func edifactProblem(src Source, err error) Problem {
	var e *edifact.Error
	if !errors.As(err, &e) {
		return Problem{Source: src, Reason: err.Error()}
	}
	var w string
	switch {
	case e.Segment > 0:
		w = fmt.Sprintf("segment %d (%s)", e.Segment, e.Tag)
		if e.Element > 0 {
			w += fmt.Sprintf(" element %d", e.Element)
			if e.Component > 0 {
				w += fmt.Sprintf(" component %d", e.Component)
			}
		}
	case e.Offset > 0:
		w = fmt.Sprintf("byte %d", e.Offset)
	}
	return Problem{Source: src, Where: w, Reason: e.Reason}
}

func decodeCSV(body []byte, opts Options) (*Decoded, error) {
	maps := opts.CSV
	if opts.Kind != "" {
		maps = slices.DeleteFunc(slices.Clone(maps), func(m csvdoc.Map) bool { return m.Kind != opts.Kind })
	}
	if len(maps) == 0 {
		sniffed, ok := csvdoc.Sniff(body)
		if !ok {
			return nil, Problem{Source: Source{Standard: FormatCSV}, Where: "line 1",
				Reason: "no column map for this CSV: its header does not name canonical fields, and no partner column map applies"}
		}
		maps = []csvdoc.Map{sniffed}
	}
	// The first map that reads the file decides; when none does, the first map's error is told.
	var (
		docs     []domain.Document
		warnings []string
		first    error
	)
	for _, m := range maps {
		var err error
		if docs, warnings, err = csvdoc.Read(bytes.NewReader(body), m); err == nil {
			first = nil
			break
		}
		if first == nil {
			first = err
		}
	}
	if err := first; err != nil {
		var e *csvdoc.Error
		if errors.As(err, &e) {
			where := fmt.Sprintf("line %d", e.Line)
			if e.Column > 0 {
				where += fmt.Sprintf(", column %d", e.Column)
			}
			if e.Field != "" {
				where += " (" + e.Field + ")"
			}
			return nil, Problem{Source: Source{Standard: FormatCSV}, Where: where, Reason: e.Reason}
		}
		return nil, Problem{Source: Source{Standard: FormatCSV}, Reason: err.Error()}
	}
	d := &Decoded{Format: FormatCSV, Warnings: warnings}
	for i, doc := range docs {
		d.Documents = append(d.Documents, Document{Document: doc, Source: Source{Standard: FormatCSV, Index: i}, Warnings: checks(doc)})
	}
	return d, nil
}

func decodeWebhook(format string, body []byte) (*Decoded, error) {
	r, err := webhooks.Parse(format, body)
	if err != nil {
		var e *webhooks.Error
		if errors.As(err, &e) {
			return nil, Problem{Source: Source{Standard: format}, Where: e.Pointer, Pointer: e.Pointer, Reason: e.Reason}
		}
		return nil, Problem{Source: Source{Standard: format}, Reason: err.Error()}
	}
	d := &Decoded{Format: format}
	for i, doc := range r.Documents {
		ws := r.Warnings
		if i > 0 {
			ws = nil // the body's warnings are told once
		}
		d.Documents = append(d.Documents, Document{Document: doc, Source: Source{Standard: format, Control: r.MessageID, Index: i}, Warnings: append(ws, checks(doc)...)})
	}
	return d, nil
}

// checks returns the warnings a document computes about itself.
func checks(doc domain.Document) []string {
	if c, ok := doc.(domain.Checker); ok {
		return c.Warnings()
	}
	return nil
}

// Summary says in one line what was wrong, for logs and problem details.
func (d *Decoded) Summary() string {
	parts := make([]string, 0, len(d.Problems))
	for _, p := range d.Problems {
		parts = append(parts, p.Source.String()+": "+p.Error())
	}
	return strings.Join(parts, "; ")
}
