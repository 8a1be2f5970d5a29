package admin

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/partner"
)

// SourceAPI is the metadata source of the changes made through the admin API.
const SourceAPI = "api:admin"

// partnerList is the body of GET /partners.
type partnerList struct {
	Partners []partner.Profile `json:"partners"`
}

// ChangeResult is the body answering a profile change: what was appended to the partner's stream.
type ChangeResult struct {
	PartnerID     string `json:"partner_id"`
	StreamID      string `json:"stream_id"`
	StreamVersion int64  `json:"stream_version"`
	// Appended is how many events the change appended: 0 when the profile was already in force.
	Appended int `json:"appended"`
	// EventTypes are the appended events' types, in order.
	EventTypes []string `json:"event_types"`
}

func (a *Admin) listPartners(c echo.Context) error {
	profiles := a.dir.List()
	if profiles == nil {
		profiles = []partner.Profile{}
	}
	return c.JSON(http.StatusOK, partnerList{Partners: profiles})
}

// getPartner answers the profile in the shape PUT takes, so it can be fetched, edited and put back.
func (a *Admin) getPartner(c echo.Context) error {
	id := c.Param("id")
	p, ok := a.dir.Profile(id)
	if !ok {
		return notFound("no partner %q", id)
	}
	return c.JSON(http.StatusOK, p)
}

// putPartner makes the partner's registry entry what the body says. The first PUT of a partner
// registers it (201 Created); a PUT of the profile in force appends nothing (200, appended 0).
func (a *Admin) putPartner(c echo.Context) error {
	id := c.Param("id")
	who, p := actor(c)
	if p != nil {
		return p
	}
	mt, p := mediaType(c)
	if p != nil {
		return p
	}
	var isJSON bool
	switch mt {
	case "", echo.MIMEApplicationJSON:
		isJSON = true
	case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml":
	default:
		return unsupported(mt, "the profile as application/json or application/yaml")
	}
	body, p := a.readBody(c)
	if p != nil {
		return p
	}
	pb, p := readProfile(body, isJSON)
	if p != nil {
		return p
	}
	switch pb.profile.ID {
	case "":
		pb.profile.ID = id
	case id:
	default:
		return invalid("the profile is not the partner the path names", problem.FieldError{
			Pointer: "/id", Where: pb.where("/id"),
			Detail: fmt.Sprintf("is %q, the path names %q", pb.profile.ID, id),
		})
	}

	ctx := c.Request().Context()
	res, err := a.partners.Apply(ctx, commands.ApplyPartner{Profile: pb.profile, Actor: who, Now: a.now(), Source: SourceAPI})
	if err != nil {
		return registryProblem(err, id, "", pb.where)
	}
	if res.Appended > 0 {
		a.sync(ctx, id, "apply profile")
	}
	status := http.StatusOK
	if slices.Contains(res.EventTypes, partner.EventRegistered) {
		status = http.StatusCreated
		c.Response().Header().Set(echo.HeaderLocation, c.Request().URL.Path)
	}
	return c.JSON(status, ChangeResult{
		PartnerID: id, StreamID: res.StreamID, StreamVersion: res.StreamVersion, Appended: res.Appended,
		EventTypes: res.EventTypes,
	})
}
