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
		if i := strings.Index(body, "PERFORM "+lock+";"); i < 0 || strings.Index(body, "streams") < i {
			t.Fatalf("crossdock_append_check does not take %q before it writes", lock)
		}
		return
	}
	t.Fatal("no migration creates crossdock_append_check")
}
