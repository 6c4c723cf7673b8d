package storage

import (
	"time"

	"github.com/keyrack/keyrack/storage/kv"
)

// The chunks of a bulk operation (bulk.go) hold as many keys as the
// backend's limits allow (fill) and, whatever the backend, about as many as
// keep the write lock for chunkHold: the size follows how long the previous
// chunks of the operation held it. chunkHold is a third of the ~100 ms a
// chunk may hold the lock: on a busy machine a commit now and then takes
// three to four times as long as the one before (a slow fdatasync, the
// garbage collector), which no size control can foresee.
const (
	chunkHold  = 30 * time.Millisecond
	chunkFirst = 128   // keys in the first chunk of an operation
	chunkMax   = 20000 // keys at most, so that a chunk's bookkeeping stays small
)

// sendReserve is what a bulk chunk keeps free beside its keys: its two
// mail drafts at most and, in the last chunk, the mails moved to the outbox.
var sendReserve = kv.Usage{Ops: 16, Reads: 16, Bytes: 128 << 10}

// chunker sizes the chunks of one bulk operation by time.
type chunker struct {
	size int // keys in the next chunk
}

func newChunker() *chunker { return &chunker{size: chunkFirst} }

// pastChunkHold reports whether w's commit has held the write lock for
// chunkHold, counted from when commit took it: a retried transaction does
// not start over. The chunker sizes a chunk by the previous ones; this
// stops the chunk that runs slower than they did (the machine got busy),
// so that its commit, which follows, has fewer keys to write.
func (w *wtx) pastChunkHold() bool { return w.s.lockClock.Now().Sub(w.locked) >= chunkHold }

// committed adapts the next chunk's size to how long a chunk of keys held
// the write lock: toward chunkHold, at most halving or doubling.
func (c *chunker) committed(keys int, held time.Duration) {
	if keys < c.size/2 && held < chunkHold {
		return // cut short by the limits or the input: says nothing of the time
	}
	next := keys
	if held > 0 {
		next = int(float64(keys) * float64(chunkHold) / float64(held))
	}
	c.size = min(max(next, keys/2, 1), keys*2, chunkMax)
}
