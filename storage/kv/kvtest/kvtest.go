// Package kvtest is the conformance suite every kv.Backend passes: one set
// of behaviours, run against bbolt and etcd alike.
package kvtest

import (
	"context"
	"testing"

	"github.com/keyrack/keyrack/storage/kv"
)

// Open returns a fresh, empty backend; the suite closes it.
type Open func(t testing.TB) kv.Backend

// Run runs every conformance test against backends made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, kv.Backend)
	}{
		{"GetPutDelete", testGetPutDelete},
		{"ScanOrderAndBounds", testScanOrderAndBounds},
		{"WritesVisibleInTheirOwnTx", testReadYourWrites},
		{"CallersBuffersMayBeReused", testBuffersReused},
		{"FailedUpdateWritesNothing", testFailedUpdate},
		{"SequencesPerBucket", testSequences},
		{"ViewReadsOneRevision", testViewOneRevision},
		{"ConcurrentUpdatesSerialize", testConcurrentCounter},
		{"ConcurrentScanThenDelete", testScanThenDelete},
		{"ChangesInCommitOrder", testChangesInOrder},
		{"ChangesFromRevision", testChangesFromRevision},
		{"LoadShardsAtOneRevision", testLoad},
		{"FencedWriteFailsAfterResign", testFence},
		{"CampaignWaitsForTheSeat", testCampaignWaits},
		{"LeadOneAtATime", testLeadOneAtATime},
		{"TooLargeTransactionIsRefused", testTooLarge},
		{"ClosedBackendRefuses", testClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

func put(t *testing.T, b kv.Backend, bucket string, pairs ...string) int64 {
	t.Helper()
	rev, err := b.Update(context.Background(), func(tx kv.Tx) error {
		for i := 0; i+1 < len(pairs); i += 2 {
			if err := tx.Put(bucket, []byte(pairs[i]), []byte(pairs[i+1])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	return rev
}

func get(t *testing.T, b kv.Backend, bucket, key string) []byte {
	t.Helper()
	var v []byte
	err := b.View(context.Background(), func(tx kv.ReadTx) error {
		got, err := tx.Get(bucket, []byte(key))
		v = clone(got)
		return err
	})
	if err != nil {
		t.Fatalf("get %s/%s: %v", bucket, key, err)
	}
	return v
}

// keys scans r and returns its keys, "key=value" each.
func keys(t *testing.T, tx kv.ReadTx, r kv.Range, reverse bool) []string {
	t.Helper()
	var out []string
	err := tx.Scan(r, reverse, func(k, v []byte) error {
		out = append(out, string(k)+"="+string(v))
		return nil
	})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return out
}

func scanAll(t *testing.T, b kv.Backend, r kv.Range, reverse bool) []string {
	t.Helper()
	var out []string
	err := b.View(context.Background(), func(tx kv.ReadTx) error {
		out = keys(t, tx, r, reverse)
		return nil
	})
	if err != nil {
		t.Fatalf("view: %v", err)
	}
	return out
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
