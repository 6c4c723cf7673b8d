package etcd_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"testing"

	"github.com/keyrack/keyrack/storage/etcd"
	"github.com/keyrack/keyrack/storage/kv"
	"github.com/keyrack/keyrack/storage/kv/kvtest"
)

// openBench uses the embedded server (no fsync), or the etcd named by
// KEYRACK_BENCH_ETCD (host:port) to measure a real one.
func openBench(t testing.TB) kv.Backend {
	if ep := os.Getenv("KEYRACK_BENCH_ETCD"); ep != "" {
		b, err := etcd.Open(context.Background(), etcd.Options{Endpoints: []string{ep}, Prefix: fmt.Sprintf("/bench%d", time.Now().UnixNano())})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	return open(t, etcd.Options{})
}

func BenchmarkRotation(b *testing.B)       { kvtest.BenchmarkRotation(b, openBench) }
func BenchmarkChangeDelivery(b *testing.B) { kvtest.BenchmarkChangeDelivery(b, openBench) }
func BenchmarkLoad100k(b *testing.B)       { kvtest.BenchmarkLoad(b, openBench, 100_000) }
