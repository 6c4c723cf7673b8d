package bolt

import (
	"errors"
	"testing"

	"github.com/keyrack/keyrack/storage/kv"
)

// TestACommitAfterCloseBeganDoesNotPanic: Close closes the history before
// it waits for a running write, whose commit then reaches a closed history.
func TestACommitAfterCloseBeganDoesNotPanic(t *testing.T) {
	h := newHistory(0, 4, 1<<20)
	h.close()
	h.add(kv.Commit{Revision: 1, Changes: []kv.Change{{Key: []byte("k")}}})
	if _, _, _, err := h.after(0); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("after on a closed history: %v, want kv.ErrClosed", err)
	}
}
