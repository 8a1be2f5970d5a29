package odoocapture

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/odoo"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
)

// keeper archives each version of an Odoo record read before it is recorded, and marks the archived
// message as the recording ended: accepted, parked (Crossdock cannot name it) or failed. A version read
// again is the same archived message and records nothing. (Two versions written within one second share
// a write_date but not a body: each is its own message, and the message's ID, which derives from both,
// seeds the events' IDs.)
type keeper struct {
	archive  Archive
	database string
	now      func() time.Time
	logger   *slog.Logger
}

// version is one version of an Odoo record to archive and record.
type version struct {
	// what names it in logs and errors ("purchase order P00001").
	what    string
	model   string
	id      int64
	written time.Time
	// partner is who the message is archived under and recorded for ("odoo" when none).
	partner, channel, correlation string
	// body is what is archived: the records as read.
	body any
	// problems say why it cannot be named in Crossdock's terms: it is parked with them.
	problems []string
	// record records it, answering the outcome (commands.Outcome*); a *domain.ValidationError parks it.
	record func(commands.Message) (outcome string, err error)
}

// keep archives v, then records it, counting what happened in out.
func (k keeper) keep(ctx context.Context, v version, out *Outcome) error {
	body, err := json.Marshal(v.body)
	if err != nil {
		return err
	}
	stored, err := k.archive.Store(ctx, archive.Inbound{PartnerID: v.partner, Channel: v.channel, ContentType: "application/json",
		PartnerMessageID: fmt.Sprintf("odoo:%s:%s:%d@%s", k.database, v.model, v.id, odoo.FormatTime(v.written)),
		CorrelationID:    v.correlation, Body: body, ReceivedAt: k.now()})
	if err != nil {
		return fmt.Errorf("odoo %s: archive: %w", v.what, err)
	}
	if stored.Repeat && stored.Message.Status == archive.Accepted {
		out.Unchanged++
		return nil
	}
	id := stored.Message.ID
	park := func(reason string) error {
		out.Parked++
		k.logger.WarnContext(ctx, "odoo record parked", "record", v.what, "message", id, "reason", reason)
		return k.archive.Park(ctx, id, reason, archive.Answer{})
	}
	if len(v.problems) > 0 {
		return park(fmt.Sprintf("%s cannot be named in Crossdock's terms: %s", v.what, strings.Join(v.problems, "; ")))
	}
	outcome, err := v.record(commands.Message{ID: id, Key: id, CorrelationID: stored.Message.CorrelationID, PartnerID: v.partner,
		Source: "odoo:" + k.database, Actor: "odoo-poller", ReceivedAt: k.now().UTC()})
	if ve, ok := errors.AsType[*domain.ValidationError](err); ok {
		return park(ve.Error())
	}
	if err != nil {
		if ferr := k.archive.Fail(ctx, id, err.Error(), archive.Answer{}); ferr != nil {
			k.logger.ErrorContext(ctx, "odoo record not marked failed", "message", id, "error", ferr)
		}
		return fmt.Errorf("odoo %s: record: %w", v.what, err)
	}
	if outcome == commands.OutcomeUnchanged {
		out.Unchanged++
	} else {
		out.Recorded++
	}
	k.logger.InfoContext(ctx, "odoo record captured", "record", v.what, "outcome", outcome)
	answer, _ := json.Marshal(map[string]any{"record": v.what, "outcome": outcome})
	return k.archive.Accept(ctx, id, archive.Answer{Status: http.StatusOK, ContentType: "application/json", Body: answer})
}

// documentOutcome is the outcome of a document's first stream.
func documentOutcome(res commands.DocumentResult, err error) (string, error) {
	if err != nil || len(res.Streams) == 0 {
		return "", err
	}
	return res.Streams[0].Outcome, nil
}

// streamOutcome is a stream result's outcome.
func streamOutcome(res commands.StreamResult, err error) (string, error) {
	if res.Duplicate {
		return commands.OutcomeUnchanged, err
	}
	return res.Outcome, err
}
