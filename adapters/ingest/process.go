package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/inbound"
	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
	"github.com/crossdock-hub/crossdock/domain/shipment"
)

// MessageArchive is what the processor needs of the raw-message archive.
type MessageArchive interface {
	Archive
	Park(ctx context.Context, id, reason string, answer archive.Answer) error
	Settle(ctx context.Context, id string, status archive.Status, reason string, answer archive.Answer) error
	Get(ctx context.Context, id string) (archive.Message, error)
}

// DocumentRecorder records a canonical document as events: commands.DocumentHandler.
type DocumentRecorder interface {
	Handle(ctx context.Context, cmd commands.ReceiveDocument) (commands.DocumentResult, error)
}

// Profiles gives what a partner's profile says about reading its messages, and the kinds it may send.
type Profiles interface {
	ReadOptions(partnerID string) (inbound.Options, bool)
}

// SenderChecker is implemented by Profiles that know partners' EDI identifiers: an interchange whose
// sender is not the authenticated partner's is refused.
type SenderChecker interface {
	// KnowsSender reports whether id (with its qualifier, for X12) is one of the partner's identifiers;
	// listed is false when the partner declares no identifier for the standard, and then any is taken.
	KnowsSender(partnerID, standard, qualifier, id string) (known, listed bool)
}

// foreignSender finds the first interchange whose sender is not the partner's.
func foreignSender(c SenderChecker, partnerID string, d *inbound.Decoded) (string, bool) {
	if d.X12 != nil {
		for _, ic := range d.X12.Interchanges {
			if known, listed := c.KnowsSender(partnerID, inbound.FormatX12, ic.SenderQualifier, ic.SenderID); listed && !known {
				return fmt.Sprintf("interchange %s: sender ISA05/ISA06 %s/%s", ic.Control, ic.SenderQualifier, ic.SenderID), true
			}
		}
	}
	if d.EDIFACT != nil {
		for _, ic := range d.EDIFACT.Interchanges {
			if known, listed := c.KnowsSender(partnerID, inbound.FormatEDIFACT, ic.SenderQualifier, ic.Sender); listed && !known {
				return fmt.Sprintf("interchange %s: sender UNB02 %s", ic.Reference, ic.Sender), true
			}
		}
	}
	return "", false
}

// Acknowledger writes the functional acknowledgment (X12 997, EDIFACT CONTRL) of an inbound EDI
// interchange and keeps it for the partner.
type Acknowledger interface {
	Acknowledge(ctx context.Context, partnerID string, d *inbound.Decoded) (ack []byte, err error)
}

// Submission is a message as it arrives on any channel.
type Submission struct {
	PartnerID string
	// Channel names the way in: "http", "webhook:easypost", "inbox", "cli".
	Channel     string
	ContentType string
	// Format is the body's format when the channel knows it ("easypost" for its webhook route); empty
	// to detect it.
	Format string
	// Kind is the document kind of a canonical JSON body that does not name its own.
	Kind string
	// Kinds are the document kinds the sender may send (its credential's scope); nil allows all.
	Kinds            []string
	PartnerMessageID string
	CorrelationID    string
	Actor            string
	Body             []byte
}

// Outcome is what became of a submission.
type Outcome struct {
	MessageID string
	Status    archive.Status
	// Duplicate is true when the message had been answered before: Answer is that answer, unchanged.
	Duplicate bool
	Answer    archive.Answer
}

// Result is the JSON body of an answer that took at least one document.
type Result struct {
	MessageID string           `json:"message_id"`
	Status    string           `json:"status"`
	Format    string           `json:"format"`
	Documents []DocumentResult `json:"documents"`
	// Rejected lists the parts of the message that were not taken (an EDI set with errors).
	Rejected []problem.FieldError `json:"rejected,omitempty"`
	// Unmapped lists what the partner's crosswalk could not resolve, when the message is parked.
	Unmapped       []string `json:"unmapped,omitempty"`
	Warnings       []string `json:"warnings,omitempty"`
	Acknowledgment string   `json:"acknowledgment,omitempty"`
}

// DocumentResult says what one document did.
type DocumentResult struct {
	Kind     string         `json:"kind"`
	Source   inbound.Source `json:"source"`
	Streams  []StreamResult `json:"streams"`
	Warnings []string       `json:"warnings,omitempty"`
}

// StreamResult is what a document appended to one stream.
type StreamResult struct {
	StreamID  string   `json:"stream_id"`
	Outcome   string   `json:"outcome"`
	Events    []string `json:"events"`
	Duplicate bool     `json:"duplicate"`
}

// ProcessorConfig configures a Processor.
type ProcessorConfig struct {
	// Logger receives the processor's logs. Default: discarded.
	Logger *slog.Logger
	// Now is the clock for receipt times. Default: time.Now.
	Now func() time.Time
}

// Processor takes a message from any channel through the one path every message follows: archive the raw
// bytes (the dedup key finds a repeat, which gets its first answer), read them into canonical documents,
// resolve and record each as events, acknowledge EDI, and archive the answer.
type Processor struct {
	archive  MessageArchive
	recorder DocumentRecorder
	profiles Profiles
	acks     Acknowledger
	logger   *slog.Logger
	now      func() time.Time
}

// NewProcessor returns a processor. acks may be nil (no functional acknowledgments are written).
func NewProcessor(arch MessageArchive, recorder DocumentRecorder, profiles Profiles, acks Acknowledger, cfg ProcessorConfig) (*Processor, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	var errs []error
	if arch == nil {
		errs = append(errs, errors.New("nil archive"))
	}
	if recorder == nil {
		errs = append(errs, errors.New("nil document recorder"))
	}
	if profiles == nil {
		errs = append(errs, errors.New("nil partner profiles"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("ingest processor: %w", err)
	}
	return &Processor{archive: arch, recorder: recorder, profiles: profiles, acks: acks, logger: cfg.Logger, now: cfg.Now}, nil
}

// Submit archives and processes a message. The error is for failures of Crossdock itself (the message
// could not even be archived); everything about the message is in the Outcome's answer.
func (p *Processor) Submit(ctx context.Context, s Submission) (Outcome, error) {
	if s.CorrelationID == "" {
		s.CorrelationID = uuid.NewString()
	}
	format := s.Format
	if format == "" {
		format, _ = inbound.Detect(s.ContentType, s.Body) // an unknown format is answered after archiving
	}
	if s.PartnerMessageID == "" {
		s.PartnerMessageID = inbound.MessageID(format, s.Body)
	}
	if len(s.PartnerMessageID) > maxHeaderIDLen {
		s.PartnerMessageID = s.PartnerMessageID[:maxHeaderIDLen]
	}
	archivedType := s.ContentType
	if s.Kind != "" && format == inbound.FormatJSON {
		// The kind a request named (?kind=) is part of how the body is read: it is kept with the body so
		// that a replay reads it the same way.
		archivedType = withKind(s.ContentType, s.Kind)
	}
	stored, err := p.archive.Store(ctx, archive.Inbound{
		PartnerID: s.PartnerID, Channel: s.Channel, ContentType: archivedType, PartnerMessageID: s.PartnerMessageID,
		CorrelationID: s.CorrelationID, Body: s.Body, ReceivedAt: p.now().UTC(),
	})
	if err != nil {
		return Outcome{}, fmt.Errorf("archive message from %s: %w", s.PartnerID, err)
	}
	msg := stored.Message
	// Once archived, the message is processed and its answer archived even if the sender hangs up or
	// the hub is asked to stop: a half-handled message would be handled again anyway, but finishing
	// now spares the partner a resend.
	ctx = context.WithoutCancel(ctx)
	log := p.logger.With("message_id", msg.ID, "partner", s.PartnerID, "correlation_id", s.CorrelationID, "channel", s.Channel)
	if stored.Repeat && msg.Answered() {
		log.InfoContext(ctx, "repeated message answered as before", "status", msg.Answer.Status)
		return Outcome{MessageID: msg.ID, Status: msg.Status, Duplicate: true, Answer: msg.Answer}, nil
	}
	if stored.ConflictsWith != "" {
		pr := problem.New(http.StatusConflict, fmt.Sprintf(
			"message ID %q was already used for another body (message %s)", s.PartnerMessageID, stored.ConflictsWith))
		return p.finish(ctx, log, msg.ID, false, archive.Rejected, pr.Detail, problemAnswer(pr, msg.ID)), nil
	}
	return p.process(ctx, log, msg, s, format, false), nil
}

// Replay processes an archived message again, whatever became of it the first time: a parked message
// whose mapping was fixed, or any message after an outage. Its events have the same IDs as the first
// time, so nothing is recorded twice.
func (p *Processor) Replay(ctx context.Context, messageID, actor string) (Outcome, error) {
	msg, err := p.archive.Get(ctx, messageID)
	if err != nil {
		return Outcome{}, err
	}
	s := Submission{PartnerID: msg.PartnerID, Channel: msg.Channel, ContentType: msg.ContentType,
		Kind: kindOf(msg.ContentType), PartnerMessageID: msg.PartnerMessageID, CorrelationID: msg.CorrelationID,
		Actor: actor, Body: msg.Body}
	if f, ok := strings.CutPrefix(msg.Channel, "webhook:"); ok {
		s.Format = f
	}
	format := s.Format
	if format == "" {
		format, _ = inbound.Detect(s.ContentType, s.Body)
	}
	log := p.logger.With("message_id", msg.ID, "partner", msg.PartnerID, "correlation_id", msg.CorrelationID, "replay", true)
	return p.process(ctx, log, msg, s, format, true), nil
}

func (p *Processor) process(ctx context.Context, log *slog.Logger, msg archive.Message, s Submission, format string, replay bool) Outcome {
	if format == "" {
		_, err := inbound.Detect(s.ContentType, s.Body)
		pr := problem.New(http.StatusUnsupportedMediaType, err.Error())
		return p.finish(ctx, log, msg.ID, replay, archive.Rejected, pr.Detail, problemAnswer(pr, msg.ID))
	}
	opts, ok := p.profiles.ReadOptions(s.PartnerID)
	if !ok {
		// Crossdock's setup, not the message, is at fault: the message is parked, a resend is handled
		// again, and a replay takes it once the partner is registered.
		pr := problem.New(http.StatusForbidden, fmt.Sprintf("partner %q is not registered or not in effect", s.PartnerID))
		return p.finish(ctx, log, msg.ID, replay, archive.Parked, pr.Detail, problemAnswer(pr, msg.ID))
	}
	opts.Kind = s.Kind
	decoded, err := inbound.Decode(format, s.Body, opts)
	if err != nil {
		pr := problem.Invalid(fmt.Sprintf("the %s message cannot be read", format), fieldError(err))
		if decoded == nil && isEDI(format) {
			// An interchange whose envelope cannot be framed names no sender to acknowledge to.
			pr.Detail += "; no acknowledgment can be sent for an interchange whose header cannot be read"
		}
		return p.finish(ctx, log, msg.ID, replay, archive.Rejected, reasonOf(pr), problemAnswer(pr, msg.ID))
	}
	if senders, ok := p.profiles.(SenderChecker); ok {
		if where, bad := foreignSender(senders, s.PartnerID, decoded); bad {
			pr := problem.New(http.StatusForbidden, fmt.Sprintf("%s is not one of partner %q's identifiers: a partner sends only its own interchanges", where, s.PartnerID))
			return p.finish(ctx, log, msg.ID, replay, archive.Rejected, pr.Detail, problemAnswer(pr, msg.ID))
		}
	}
	res := Result{MessageID: msg.ID, Format: decoded.Format, Warnings: decoded.Warnings}
	for _, pb := range decoded.Problems {
		res.Rejected = append(res.Rejected, problem.FieldError{Where: joinWhere(pb.Source.String(), pb.Where), Pointer: pb.Pointer, Detail: pb.Reason})
	}
	// The kinds a credential may send are checked per document: an interchange may carry several kinds.
	for _, d := range decoded.Documents {
		if !allowed(s.Kinds, d.Document.Kind()) {
			// The credential is refused, not the message: it is parked rather than answered for good, so
			// that the same message sent again with a credential that may send it is handled again, and an
			// operator who widens the credential's scope can replay it.
			pr := problem.New(http.StatusForbidden, fmt.Sprintf("this credential may not send %s documents (%s)", d.Document.Kind(), d.Source))
			return p.finish(ctx, log, msg.ID, replay, archive.Parked, pr.Detail, problemAnswer(pr, msg.ID))
		}
	}
	if len(decoded.Documents) == 0 {
		res.Acknowledgment = p.acknowledge(ctx, log, s.PartnerID, format, decoded)
		pr := problem.Invalid(fmt.Sprintf("nothing in the %s message can be taken", format), res.Rejected...)
		if len(pr.Errors) == 0 {
			pr.Detail = fmt.Sprintf("the %s message holds no document", format)
		}
		pr.Acknowledgment = res.Acknowledgment
		return p.finish(ctx, log, msg.ID, replay, archive.Rejected, reasonOf(pr), problemAnswer(pr, msg.ID))
	}

	var unmapped []string
	for _, d := range decoded.Documents {
		d.Document = stampAsOf(d.Document, msg.ReceivedAt)
		out, err := p.recorder.Handle(ctx, commands.ReceiveDocument{
			Message: commands.Message{
				// The key is the document's place among every set of the message, taken or not: a replay
				// that takes a set refused the first time must not give the sets after it other keys.
				ID: msg.ID, Key: fmt.Sprintf("%s#%d", msg.ID, d.Source.Index), CorrelationID: msg.CorrelationID,
				PartnerID: s.PartnerID, Source: s.Channel + ":" + s.PartnerID, Actor: actorOf(s), ReceivedAt: msg.ReceivedAt,
			},
			Document: d.Document,
		})
		var ue *commands.UnmappedError
		var ve *domain.ValidationError
		var ave *shipment.ValidationError
		switch {
		case errors.As(err, &ue):
			unmapped = append(unmapped, fmt.Sprintf("%s: %s", d.Source, ue.Error()))
			continue
		case errors.As(err, &ve):
			res.Rejected = append(res.Rejected, violations(d.Source, ve.Violations)...)
			refuseSet(decoded, d, ve.Error())
			continue
		case errors.As(err, &ave):
			res.Rejected = append(res.Rejected, violations(d.Source, ave.Violations)...)
			refuseSet(decoded, d, ave.Error())
			continue
		case err != nil:
			log.ErrorContext(ctx, "record document", "source", d.Source.String(), "error", err)
			pr := problem.New(http.StatusInternalServerError, "the message could not be recorded; send it again")
			return p.finish(ctx, log, msg.ID, replay, archive.Failed, err.Error(), problemAnswer(pr, msg.ID))
		}
		dr := DocumentResult{Kind: d.Document.Kind(), Source: d.Source, Warnings: d.Warnings}
		for _, st := range out.Streams {
			ids := make([]string, len(st.EventIDs))
			for j, id := range st.EventIDs {
				ids[j] = id.String()
			}
			dr.Streams = append(dr.Streams, StreamResult{StreamID: st.StreamID, Outcome: st.Outcome, Events: ids, Duplicate: st.Duplicate})
		}
		res.Documents = append(res.Documents, dr)
	}
	// Acknowledged once every document was judged: a set the document handler refused is rejected in
	// the acknowledgment too, so the partner is told the same thing by both.
	res.Acknowledgment = p.acknowledge(ctx, log, s.PartnerID, format, decoded)

	switch {
	case len(unmapped) > 0:
		// Parked: the partner did nothing wrong; Crossdock's crosswalk lacks an entry. Documents of the
		// message that resolved are recorded; a replay after the fix records the rest, and nothing twice.
		res.Status, res.Unmapped = string(archive.Parked), unmapped
		return p.finish(ctx, log, msg.ID, replay, archive.Parked, "unmapped: "+strings.Join(unmapped, "; "), jsonAnswer(http.StatusAccepted, res))
	case len(res.Documents) == 0:
		pr := problem.Invalid(fmt.Sprintf("nothing in the %s message can be taken", format), res.Rejected...)
		pr.Acknowledgment = res.Acknowledgment
		return p.finish(ctx, log, msg.ID, replay, archive.Rejected, reasonOf(pr), problemAnswer(pr, msg.ID))
	case len(res.Rejected) > 0:
		// Partly taken: the good sets are recorded and acknowledged; the message stays in quarantine for
		// the sets that were not, with the reasons.
		res.Status = "partly_accepted"
		return p.finish(ctx, log, msg.ID, replay, archive.Rejected, "partly rejected: "+joinFieldErrors(res.Rejected), jsonAnswer(http.StatusOK, res))
	default:
		res.Status = string(archive.Accepted)
		return p.finish(ctx, log, msg.ID, replay, archive.Accepted, "", jsonAnswer(http.StatusOK, res))
	}
}

// acknowledge writes the functional acknowledgment of an EDI message ("" for other formats or when no
// acknowledger is configured). A failure to write it is logged: the message is handled all the same.
func (p *Processor) acknowledge(ctx context.Context, log *slog.Logger, partnerID, format string, d *inbound.Decoded) string {
	if !isEDI(format) || p.acks == nil {
		return ""
	}
	ack, err := p.acks.Acknowledge(ctx, partnerID, d)
	if err != nil {
		log.ErrorContext(ctx, "write functional acknowledgment", "error", err)
	}
	return string(ack)
}

// finish archives the outcome (a replay's replaces the first; a first answer otherwise stands) and
// returns it.
func (p *Processor) finish(ctx context.Context, log *slog.Logger, id string, replay bool, status archive.Status, reason string, ans archive.Answer) Outcome {
	var err error
	switch {
	case replay:
		err = p.archive.Settle(ctx, id, status, reason, ans)
	case status == archive.Accepted:
		err = p.archive.Accept(ctx, id, ans)
	case status == archive.Rejected:
		err = p.archive.Reject(ctx, id, reason, ans)
	case status == archive.Parked:
		err = p.archive.Park(ctx, id, reason, ans)
	default:
		err = p.archive.Fail(ctx, id, reason, ans)
	}
	if err != nil {
		// The answer is not durably archived, so it is not given: the partner is told to send again, and
		// the repeat, unanswered in the archive, is handled again (the same events: deterministic IDs).
		log.ErrorContext(ctx, "archive the answer", "status", string(status), "error", err)
		pr := problem.New(http.StatusInternalServerError, "the message could not be stored; send it again")
		return Outcome{MessageID: id, Status: archive.Failed, Answer: problemAnswer(pr, id)}
	}
	switch status {
	case archive.Accepted:
		log.InfoContext(ctx, "message accepted", "answer", ans.Status)
	case archive.Parked:
		log.WarnContext(ctx, "message parked until it is replayed or sent again", "reason", reason)
	default:
		log.InfoContext(ctx, "message not accepted", "status", string(status), "reason", reason)
	}
	return Outcome{MessageID: id, Status: status, Answer: ans}
}

// stampAsOf dates a snapshot that does not say when it was true (a ShipHero inventory update) at the
// moment it was received: the latest instant it can be known to hold.
func stampAsOf(doc domain.Document, receivedAt time.Time) domain.Document {
	if s, ok := doc.(inventory.Snapshot); ok && s.AsOf.IsZero() {
		s.AsOf = receivedAt.UTC()
		return s
	}
	return doc
}

func isEDI(format string) bool { return format == inbound.FormatX12 || format == inbound.FormatEDIFACT }

func allowed(kinds []string, kind string) bool {
	if kinds == nil {
		return true
	}
	for _, k := range kinds {
		if k == kind {
			return true
		}
	}
	return false
}

func actorOf(s Submission) string {
	if s.Actor != "" {
		return s.Actor
	}
	return "partner:" + s.PartnerID
}

func fieldError(err error) problem.FieldError {
	var pb inbound.Problem
	if errors.As(err, &pb) {
		return problem.FieldError{Pointer: pb.Pointer, Where: pb.Where, Detail: pb.Reason}
	}
	return problem.FieldError{Detail: err.Error()}
}

// joinWhere places a position inside its document: "x12 856 (control 0001), segment 31 (SE)".
func joinWhere(source, where string) string {
	if where == "" {
		return source
	}
	return source + ", " + where
}

// withKind adds the document kind to a content type as its "kind" parameter.
func withKind(contentType, kind string) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt == "" {
		mt, params = "application/json", map[string]string{}
	}
	params["kind"] = kind
	if ct := mime.FormatMediaType(mt, params); ct != "" {
		return ct
	}
	return contentType
}

// kindOf reads the "kind" parameter withKind put in an archived content type.
func kindOf(contentType string) string {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["kind"]
}

func violations(src inbound.Source, vs []domain.Violation) []problem.FieldError {
	out := make([]problem.FieldError, len(vs))
	for i, v := range vs {
		out[i] = problem.FieldError{Where: src.String(), Pointer: v.Field, Detail: v.Reason}
	}
	return out
}

func reasonOf(pr *problem.Problem) string {
	if len(pr.Errors) == 0 {
		return pr.Detail
	}
	return pr.Detail + ": " + joinFieldErrors(pr.Errors)
}

func joinFieldErrors(errs []problem.FieldError) string {
	parts := make([]string, len(errs))
	for i, e := range errs {
		where := e.Where
		if e.Pointer != "" {
			where = strings.TrimPrefix(where+" "+e.Pointer, " ")
		}
		parts[i] = strings.TrimPrefix(where+": "+e.Detail, ": ")
	}
	return strings.Join(parts, "; ")
}

func problemAnswer(pr *problem.Problem, messageID string) archive.Answer {
	pr.Instance = instance(messageID)
	return answerOf(pr)
}

func jsonAnswer(status int, v any) archive.Answer {
	body, err := json.Marshal(v)
	if err != nil {
		body = []byte(`{"error":"the answer could not be encoded"}`)
	}
	return archive.Answer{Status: status, ContentType: "application/json", Body: body}
}

// AcknowledgmentOf returns the functional acknowledgment carried in an answer, if any.
func AcknowledgmentOf(a archive.Answer) string {
	var v struct {
		Acknowledgment string `json:"acknowledgment"`
	}
	if json.Unmarshal(a.Body, &v) != nil {
		return ""
	}
	return v.Acknowledgment
}
