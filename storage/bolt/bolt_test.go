package bolt_test

import (
	"path/filepath"
	"testing"

	"github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/kv"
	"github.com/keyrack/keyrack/storage/kv/kvtest"
)

var _ kv.Backend = (*bolt.Backend)(nil)

func openTemp(t testing.TB, opts bolt.Options) *bolt.Backend {
	t.Helper()
	b, err := bolt.Open(filepath.Join(t.TempDir(), "kv.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestConformance(t *testing.T) {
	kvtest.Run(t, func(t testing.TB) kv.Backend { return openTemp(t, bolt.Options{}) })
}
