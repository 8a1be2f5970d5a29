package httpapi

import (
	"testing"

	"go.uber.org/goleak"
)

// The server starts goroutines (Serve, readiness checks); none may outlive a test.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
