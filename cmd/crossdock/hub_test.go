package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/csvdoc"
	"github.com/crossdock-hub/crossdock/domain/partner"
)

// The partner registry validates CSV column maps against the fields the CSV reader maps: the two lists
// live apart (the domain does not import adapters), so this keeps them equal.
func TestPartnerCSVFieldsAreTheReadersFields(t *testing.T) {
	for _, kind := range []string{partner.KindInventorySnapshot, partner.KindReceipt, partner.KindShipConfirmation} {
		fields, ok := partner.CSVFields(kind)
		require.True(t, ok, kind)
		require.ElementsMatch(t, csvdoc.Fields(kind), fields, kind)
	}
}
