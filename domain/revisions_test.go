package domain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
)

func TestRevisionsFoldsContentAndCountsEveryEvent(t *testing.T) {
	type doc struct {
		Number string `json:"number"`
	}
	r := domain.NewRevisions[doc]("x.received.v1", "x.revised.v1")
	_, ok := r.Current()
	require.False(t, ok)
	require.NoError(t, r.Apply("x.received.v1", []byte(`{"number":"A"}`)))
	require.NoError(t, r.Apply("x.exception_raised.v1", []byte(`{"kind":"unknown_po"}`)))
	require.NoError(t, r.Apply("x.revised.v1", []byte(`{"number":"B"}`)))
	cur, ok := r.Current()
	require.True(t, ok)
	require.Equal(t, "B", cur.Number)
	require.Equal(t, 2, r.Revision())
	require.Equal(t, int64(3), r.Version(), "an exception advances the version")
	require.ErrorContains(t, r.Apply("x.revised.v1", []byte(`{`)), "apply x.revised.v1 at version 4")
}
