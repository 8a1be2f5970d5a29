package commands_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain/partner"
	"github.com/crossdock-hub/crossdock/eventstore"
)

// due is the SLA view as the watch reads it.
type due []commands.DueBreach

func (d due) DueBreaches(context.Context) ([]commands.DueBreach, error) { return d, nil }

// A late measure is raised once, however often the watch checks before the view marks it breached.
func TestSLAWatchRaisesOncePerDocument(t *testing.T) {
	forEachStore(t, func(t *testing.T, store eventstore.Store) {
		now := time.Date(2026, 11, 28, 16, 0, 0, 0, time.UTC)
		w := &commands.SLAWatch{Store: store, Now: func() time.Time { return now }, Due: due{
			{Partner: "swiftline", Metric: partner.MetricCarrierOnTime, Reference: "PRO-777", Promised: "2026-11-28T00:00:00Z",
				Actual: "2026-11-28T15:15:00Z", Evidence: []string{"asn", "d1"}},
		}}
		n, err := w.Check(t.Context())
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		now = now.Add(time.Minute) // the view has not caught up: the same breach is due again
		n, err = w.Check(t.Context())
		require.NoError(t, err)
		assert.Zero(t, n)

		events, err := store.ReadStream(t.Context(), partner.SLABreachStreamID("swiftline", partner.MetricCarrierOnTime, "PRO-777"), 1, 10)
		require.NoError(t, err)
		require.Len(t, events, 1)
		var d partner.SLABreachedData
		require.NoError(t, json.Unmarshal(events[0].Data, &d))
		assert.Equal(t, "2026-11-28T15:15:00Z", d.Actual)
		assert.Equal(t, []string{"asn", "d1"}, d.Evidence)
		assert.Equal(t, "swiftline", events[0].Metadata.PartnerID)
		assert.Equal(t, "PRO-777", d.TrackingNumber, "the reference under its own name, for the timeline")
	})
}
