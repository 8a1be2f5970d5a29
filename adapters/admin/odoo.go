package admin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/problem"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/inventory"
)

// OdooInventory records Odoo's side of warehouses: *commands.OdooInventoryHandler.
type OdooInventory interface {
	Levels(ctx context.Context, cmd commands.RecordOdooLevels) (commands.StreamResult, error)
	Validation(ctx context.Context, cmd commands.RecordOdooValidation) (commands.StreamResult, error)
}

// SourceOdooStandIn is the source of Odoo facts put in through the admin API, until the Odoo connector
// reads them from Odoo itself.
const SourceOdooStandIn = "admin:odoo"

// odooLevels records a reading of Odoo's levels at a warehouse (inventory.OdooLevelsData as JSON):
// 201 when recorded, 200 when a reading as of that instant or later was recorded before.
func (a *Admin) odooLevels(c echo.Context) error {
	var d inventory.OdooLevelsData
	body, p := a.decodeJSON(c, &d, true)
	if p != nil {
		return p
	}
	msg, p := a.odooMessage(c, "odoo-levels:"+d.Warehouse, d.Warehouse, body)
	if p != nil {
		return p
	}
	res, err := a.odoo.Levels(c.Request().Context(), commands.RecordOdooLevels{Message: msg, Levels: d})
	return answerOdoo(c, res, err)
}

// odooValidation records Odoo's validation of a picking (inventory.OdooPickingValidatedData as JSON).
func (a *Admin) odooValidation(c echo.Context) error {
	var d inventory.OdooPickingValidatedData
	body, p := a.decodeJSON(c, &d, true)
	if p != nil {
		return p
	}
	msg, p := a.odooMessage(c, "odoo-validation:"+d.Kind+":"+d.Reference, d.Warehouse, body)
	if p != nil {
		return p
	}
	res, err := a.odoo.Validation(c.Request().Context(), commands.RecordOdooValidation{Message: msg, Validation: d})
	return answerOdoo(c, res, err)
}

// odooMessage addresses a stand-in Odoo fact about a warehouse (its key: the partner, "/" and a code):
// the same body sent again has the same key, so its events the same IDs.
func (a *Admin) odooMessage(c echo.Context, prefix, warehouse string, body []byte) (commands.Message, *problem.Problem) {
	who, p := actor(c)
	if p != nil {
		return commands.Message{}, p
	}
	partner, _, _ := strings.Cut(warehouse, "/")
	if strings.TrimSpace(partner) == "" {
		return commands.Message{}, invalid("the Odoo fact names no warehouse", problem.FieldError{Pointer: "/warehouse", Detail: "is required"})
	}
	sum := sha256.Sum256(body)
	return commands.Message{Key: prefix + ":" + hex.EncodeToString(sum[:]), CorrelationID: uuid.NewString(),
		PartnerID: partner, Source: SourceOdooStandIn, Actor: who, ReceivedAt: a.now().UTC()}, nil
}

func answerOdoo(c echo.Context, res commands.StreamResult, err error) error {
	if ve, ok := errors.AsType[*domain.ValidationError](err); ok {
		fields := make([]problem.FieldError, len(ve.Violations))
		for i, v := range ve.Violations {
			fields[i] = problem.FieldError{Pointer: v.Field, Detail: v.Reason}
		}
		return invalid("the Odoo fact breaks its rules", fields...)
	}
	if err != nil {
		return err
	}
	ids := make([]string, len(res.EventIDs))
	for i, id := range res.EventIDs {
		ids[i] = id.String()
	}
	status := http.StatusOK
	if len(ids) > 0 && !res.Duplicate {
		status = http.StatusCreated
	}
	return c.JSON(status, StreamResult{StreamID: res.StreamID, StreamVersion: res.StreamVersion, Outcome: res.Outcome,
		EventIDs: ids, Duplicate: res.Duplicate})
}
