package storage

import (
	"context"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/storage/kv"
)

// serve's release every second drops the file's pages that reads left
// resident: after a scan of every record they count in the process's
// RSS, and one tick of the clock later they do not.
func TestReleaseEveryDropsThePagesReadsLeft(t *testing.T) {
	s, clk := openTest(t)
	_, err := s.Import("tester", InOneBlock(lagoKeys(3000)), nil)
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.ReleaseEvery(ctx, clk, time.Second); close(done) }()
	defer func() { cancel(); <-done }()
	testkit.Eventually(t, 10*time.Second, "the release's timer", func() bool { return clk.Waiters() > 0 })
	must(t, s.read(func(tx kv.ReadTx) error {
		return tx.Scan(kv.Range{Bucket: string(bucketKeys)}, false, func(_, _ []byte) error { return nil })
	}))
	if n := testkit.MappedRSS(t, s.path); n < 256<<10 {
		t.Fatalf("after reading 3,000 records %d kB of the file resident; the test needs more", n>>10)
	}
	clk.Advance(time.Second)
	testkit.Eventually(t, 10*time.Second, "the file's pages dropped", func() bool { return testkit.MappedRSS(t, s.path) < 64<<10 })
}
