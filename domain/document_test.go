package domain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/domain/receipt"
)

func TestDocumentValue(t *testing.T) {
	r := receipt.Receipt{ReceiptNumber: "R-1"}
	require.Equal(t, r, domain.DocumentValue(&r))
	require.Equal(t, r, domain.DocumentValue(r))
	var nilReceipt *receipt.Receipt
	require.Nil(t, domain.DocumentValue(nilReceipt))
}
