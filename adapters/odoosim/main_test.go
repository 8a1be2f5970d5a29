package odoosim

import (
	"testing"

	"go.uber.org/goleak"
)

// The tests start httptest servers and the Latency fault waits on timers: none may outlive a test.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
