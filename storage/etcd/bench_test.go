package etcd_test

import (
	"testing"

	"github.com/keyrack/keyrack/storage/etcd"
	"github.com/keyrack/keyrack/storage/kv"
	"github.com/keyrack/keyrack/storage/kv/kvtest"
)

func openBench(t testing.TB) kv.Backend { return open(t, etcd.Options{}) }

func BenchmarkRotation(b *testing.B)       { kvtest.BenchmarkRotation(b, openBench) }
func BenchmarkChangeDelivery(b *testing.B) { kvtest.BenchmarkChangeDelivery(b, openBench) }
func BenchmarkLoad100k(b *testing.B)       { kvtest.BenchmarkLoad(b, openBench, 100_000) }
