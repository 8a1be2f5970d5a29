package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/domain/partner"
)

// Bounds of GET /messages.
const (
	DefaultMessageLimit = 100
	MaxMessageLimit     = 1000
)

// maxMessageIDLength bounds a message ID in a path (archive IDs are UUIDs).
const maxMessageIDLength = 128

// MessageView is one archived message in a listing; its body is not included.
type MessageView struct {
	ID         string    `json:"id"`
	PartnerID  string    `json:"partner"`
	Channel    string    `json:"channel"`
	ReceivedAt time.Time `json:"received_at"`
	Status     string    `json:"status"`
	Reason     string    `json:"reason,omitempty"`
}

type messageList struct {
	Messages []MessageView `json:"messages"`
}

// ReplayResult answers a replay: what became of the message this time, and the answer a partner
// sending it now would get.
type ReplayResult struct {
	MessageID string `json:"message_id"`
	// Status is the message's archive status after the replay: accepted, rejected, parked or failed.
	Status string `json:"status"`
	// AnswerStatus is the HTTP status of the answer.
	AnswerStatus      int    `json:"answer_status"`
	AnswerContentType string `json:"answer_content_type,omitempty"`
	// Answer is the answer's body: itself when it is JSON, else a JSON string of it.
	Answer json.RawMessage `json:"answer,omitempty"`
}

// listMessages lists the messages waiting for an operator, newest first: ?status=rejected (the
// quarantine, the default) or parked (waiting for a crosswalk entry), ?partner= one partner's, ?limit=.
func (a *Admin) listMessages(c echo.Context) error {
	q := archive.QuarantineQuery{Status: archive.Rejected, PartnerID: c.QueryParam("partner"), Limit: DefaultMessageLimit}
	var errs []problem.FieldError
	switch s := c.QueryParam("status"); archive.Status(s) {
	case "", archive.Rejected:
	case archive.Parked:
		q.Status = archive.Parked
	default:
		errs = append(errs, problem.FieldError{Where: "query parameter status",
			Detail: fmt.Sprintf("%q is not a status messages wait in (want rejected or parked)", s)})
	}
	if q.PartnerID != "" {
		if err := partner.ValidateID(q.PartnerID); err != nil {
			errs = append(errs, problem.FieldError{Where: "query parameter partner", Detail: err.Error()})
		}
	}
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > MaxMessageLimit {
			errs = append(errs, problem.FieldError{Where: "query parameter limit",
				Detail: fmt.Sprintf("%q is not a number from 1 to %d", l, MaxMessageLimit)})
		}
		q.Limit = n
	}
	if len(errs) > 0 {
		return invalid("the listing cannot be made", errs...)
	}
	msgs, err := a.messages.Quarantine(c.Request().Context(), q)
	if err != nil {
		return err
	}
	out := messageList{Messages: make([]MessageView, len(msgs))}
	for i, m := range msgs {
		out.Messages[i] = MessageView{ID: m.ID, PartnerID: m.PartnerID, Channel: m.Channel,
			ReceivedAt: m.ReceivedAt.UTC(), Status: string(m.Status), Reason: m.Reason}
	}
	return c.JSON(http.StatusOK, out)
}

// replayMessage processes an archived message again, after its partner's mapping was fixed or after an
// outage. The replay itself is answered 200 whatever became of the message: its outcome is in the body.
func (a *Admin) replayMessage(c echo.Context) error {
	id := c.Param("id")
	who, p := actor(c)
	if p != nil {
		return p
	}
	if id == "" || len(id) > maxMessageIDLength || strings.ContainsAny(id, "\r\n") {
		return notFound("no archived message %q", id)
	}
	out, err := a.replayer.Replay(c.Request().Context(), id, who)
	if errors.Is(err, archive.ErrNotFound) {
		return notFound("no archived message %q", id)
	}
	if err != nil {
		return err
	}
	a.logger.InfoContext(c.Request().Context(), "message replayed", "message_id", out.MessageID, "status", out.Status,
		"actor", who)
	return c.JSON(http.StatusOK, ReplayResult{
		MessageID: out.MessageID, Status: string(out.Status), AnswerStatus: out.Answer.Status,
		AnswerContentType: out.Answer.ContentType, Answer: answerJSON(out.Answer),
	})
}

// answerJSON is an archived answer's body as JSON: the body itself when it is JSON, else a string.
func answerJSON(ans archive.Answer) json.RawMessage {
	if len(ans.Body) == 0 {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(ans.ContentType)
	if (mt == echo.MIMEApplicationJSON || strings.HasSuffix(mt, "+json")) && json.Valid(ans.Body) {
		return json.RawMessage(ans.Body)
	}
	s, _ := json.Marshal(string(ans.Body)) // a string always encodes
	return s
}
