package ingest_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/crossdock-hub/crossdock/adapters/archive"
	"github.com/crossdock-hub/crossdock/adapters/inbound"
	"github.com/crossdock-hub/crossdock/adapters/ingest"
	"github.com/crossdock-hub/crossdock/commands"
	"github.com/crossdock-hub/crossdock/domain"
	"github.com/crossdock-hub/crossdock/eventstore"
	"github.com/crossdock-hub/crossdock/eventstore/postgres"
	"github.com/crossdock-hub/crossdock/eventstore/sqlite"
	"github.com/crossdock-hub/crossdock/internal/testdb"
	"github.com/jackc/pgx/v5/stdlib"
)

// benchCrosswalk resolves every item to its key and every unit to itself.
type benchCrosswalk struct{}

func (benchCrosswalk) ResolveItem(_ string, ref domain.ItemRef) (string, bool) {
	return ref.Key(), true
}
func (benchCrosswalk) ConvertUnit(_ string, q domain.Quantity) (domain.Quantity, bool) {
	return q, true
}
func (benchCrosswalk) Tolerances(string) (decimal.Decimal, decimal.Decimal) {
	return decimal.NewFromInt(5), decimal.NewFromInt(2)
}

type benchProfiles struct{}

func (benchProfiles) ReadOptions(string) (inbound.Options, bool) { return inbound.Options{}, true }

func bench856(n int64, lines int) []byte {
	var b strings.Builder
	ctl := fmt.Sprintf("%09d", n)
	fmt.Fprintf(&b, "ISA*00*          *00*          *ZZ*BENCHSUP       *ZZ*CROSSDOCK      *261126*1200*U*00401*%s*0*P*>~", ctl)
	fmt.Fprintf(&b, "GS*SH*BENCHSUP*CROSSDOCK*20261126*1200*%d*X*004010~ST*856*0001~", n)
	fmt.Fprintf(&b, "BSN*00*ASN%d*20261126*1200*0001~HL*1**S~TD5**2*UPSN~REF*CN*1Z%012d~DTM*011*20261126~N1*ST*WH1*92*WH1~HL*2*1*O~PRF*PO%d~", n, n, n%997)
	for i := range lines {
		fmt.Fprintf(&b, "HL*%d*2*I~LIN*%d*UP*0123456%05d~SN1**%d*CS~", i+3, i+1, i, 1+i%5)
	}
	fmt.Fprintf(&b, "CTT*%d~SE*%d*0001~GE*1*%d~IEA*1*%s~", lines+2, 11+3*lines, n, ctl)
	return []byte(b.String())
}

// BenchmarkSubmit856 is one 20-line ship notice through the whole processor on SQLite: archive, read,
// map, record, acknowledge, answer.
func BenchmarkSubmit856(b *testing.B) {
	var (
		store eventstore.Store
		a     *archive.Archive
	)
	if os.Getenv("BENCH_BACKEND") == "postgres" {
		pool := testdb.Postgres(b)
		s, err := postgres.New(pool, postgres.Config{})
		require.NoError(b, err)
		require.NoError(b, s.Migrate(b.Context()))
		db := stdlib.OpenDBFromPool(pool)
		b.Cleanup(func() { _ = db.Close() })
		a, err = archive.New(archive.Postgres, db, db, archive.Config{})
		require.NoError(b, err)
		store = s
	} else {
		s, err := sqlite.Open(b.Context(), testdb.SQLitePath(b), sqlite.Config{Synchronous: os.Getenv("BENCH_SYNC")})
		require.NoError(b, err)
		b.Cleanup(func() { _ = s.Close() })
		a, err = archive.New(archive.SQLite, s.WriteDB(), s.ReadDB(), archive.Config{})
		require.NoError(b, err)
		store = s
	}
	require.NoError(b, a.Migrate(b.Context()))
	s := store
	docs, err := commands.NewDocumentHandler(s, benchCrosswalk{}, commands.DocumentConfig{})
	require.NoError(b, err)
	p, err := ingest.NewProcessor(a, docs, benchProfiles{}, ingest.EDIAcknowledger{}, ingest.ProcessorConfig{})
	require.NoError(b, err)
	var seq atomic.Int64
	b.ReportAllocs()
	if n, err := strconv.Atoi(os.Getenv("BENCH_PAR")); err == nil {
		b.SetParallelism(n)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			out, err := p.Submit(b.Context(), ingest.Submission{PartnerID: "bench", Channel: "http", Body: bench856(seq.Add(1), 20)})
			if err != nil || out.Status != archive.Accepted {
				b.Fatalf("submit: %v %s %s", err, out.Status, out.Answer.Body)
			}
		}
	})
}
