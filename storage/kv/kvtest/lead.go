package kvtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
)

// testLeadOneAtATime: two Lead loops take turns; never both at once, and
// each turn's fenced write succeeds.
func testLeadOneAtATime(t *testing.T, b kv.Backend) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var active atomic.Int32
	turns := make(chan string, 16)
	var wg sync.WaitGroup
	for _, who := range []string{"a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := kv.Lead(ctx, b, "worker", 10*time.Millisecond, func(lctx context.Context, f kv.Fence) error {
				if n := active.Add(1); n != 1 {
					t.Errorf("%d leaders at once", n)
				}
				defer active.Add(-1)
				_, err := b.Update(lctx, func(tx kv.Tx) error {
					tx.Fence(f)
					return tx.Put("turns", []byte(who), nil)
				})
				if err != nil && lctx.Err() == nil {
					return fmt.Errorf("fenced write by the leader: %w", err)
				}
				select {
				case turns <- who:
				case <-lctx.Done():
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Lead ended with %v, want context.Canceled", err)
			}
		}()
	}
	for range 6 {
		select {
		case <-turns:
		case <-ctx.Done():
			t.Fatal("leaders stopped taking turns")
		}
	}
	cancel()
	wg.Wait()
}
