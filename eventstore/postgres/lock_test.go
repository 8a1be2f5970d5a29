package postgres

import (
	"strings"
	"testing"
)

// TestAppendCheckTakesWriterLock guards the horizon's premise for the one-query batch append: the SQL
// function that opens its transaction must take the very lock the append statement takes.
func TestAppendCheckTakesWriterLock(t *testing.T) {
	all, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	lock := strings.TrimPrefix(writerLock, "SELECT ")
	for _, m := range all {
		_, body, ok := strings.Cut(m.sql, "FUNCTION crossdock_append_check")
		if !ok {
			continue
		}
		// The lock must be the function's first statement: nothing may read or write before it (the COPY
		// behind the function writes, and a check placed first could grow a write).
		_, code, ok := strings.Cut(body, "BEGIN")
		if !ok || !strings.HasPrefix(strings.TrimSpace(code), "PERFORM "+lock+";") {
			t.Fatalf("crossdock_append_check does not take %q first", lock)
		}
		return
	}
	t.Fatal("no migration creates crossdock_append_check")
}
