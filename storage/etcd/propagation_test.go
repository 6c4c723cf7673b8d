package etcd_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/storage/etcd"
	"github.com/keyrack/keyrack/storage/kv"
)

// BenchmarkPropagation: a commit through one member of a real 3-member
// cluster reaches a stream read through another member; p50 and p99 of the
// time from Update's return to its arrival.
func BenchmarkPropagation(b *testing.B) {
	cluster := testkit.StartEtcdCluster(b, 3)
	eps := cluster.Endpoints()
	ctx := context.Background()
	node := func(ep string) *etcd.Backend {
		be, err := etcd.Open(ctx, etcd.Options{Endpoints: []string{ep}})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { be.Close() })
		return be
	}
	writer, reader := node(eps[0]), node(eps[1])
	var rev int64
	if err := reader.View(ctx, func(tx kv.ReadTx) (err error) { rev, err = tx.Revision(); return err }); err != nil {
		b.Fatal(err)
	}
	s, err := reader.Changes(ctx, rev)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var lags []time.Duration
	for b.Loop() {
		rev, err := writer.Update(ctx, func(tx kv.Tx) error { return tx.Put("keys", []byte("k"), []byte("v")) })
		if err != nil {
			b.Fatal(err)
		}
		committed := time.Now()
		for {
			c, err := s.Next(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if c.Revision >= rev {
				break
			}
		}
		lags = append(lags, time.Since(committed))
	}
	slices.Sort(lags)
	b.ReportMetric(float64(lags[len(lags)/2].Microseconds()), "p50-us")
	b.ReportMetric(float64(lags[len(lags)*99/100].Microseconds()), "p99-us")
}
