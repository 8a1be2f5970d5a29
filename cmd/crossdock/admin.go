package main

import (
	"log/slog"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/admin"
	"github.com/crossdock-hub/crossdock/commands"
)

// adminRoutes mounts the admin API under /api/v1/admin when an admin token is set.
func adminRoutes(h *hub, b *backend, token string, logger *slog.Logger) (func(*echo.Group), error) {
	if token == "" {
		logger.Info("no admin token: the admin API is off (set --admin-token or CROSSDOCK_ADMIN_TOKEN)")
		return func(*echo.Group) {}, nil
	}
	odoo, err := commands.NewOdooInventoryHandler(b.store, logger.With("component", "commands"))
	if err != nil {
		return nil, err
	}
	a, err := admin.New(admin.Config{
		Token:     token,
		Partners:  h.partners,
		Directory: h.directory,
		Replayer:  h.processor,
		Messages:  b.archive,
		Orders:    h.orders,
		Odoo:      odoo,
		Logger:    logger.With("component", "admin"),
	})
	if err != nil {
		return nil, err
	}
	return a.Register, nil
}
