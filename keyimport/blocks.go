package keyimport

import (
	"math"
	"sync/atomic"

	"github.com/keyrack/keyrack/storage"
)

// blockLines is how many lines a block holds: enough that handing blocks
// over costs little, few enough that every core has work from the start
// and that the blocks in flight stay small.
const blockLines = 4096

// block is consecutive non-blank lines of the file, copied, and once
// parsed (done closed) their keys or the error of the first bad line.
type block struct {
	index  int
	format Format
	lines  []int // each line's number
	ends   []int // where each line's text ends in data
	data   []byte
	done   chan struct{}
	keys   []storage.NewKey
	err    error
}

func newBlock(index int, format Format, size int) *block {
	return &block{index: index, format: format, lines: make([]int, 0, blockLines), ends: make([]int, 0, blockLines),
		data: make([]byte, 0, size), done: make(chan struct{})}
}

// add appends line n; it reports whether the block is full.
func (b *block) add(n int, text []byte) bool {
	b.data = append(b.data, text...)
	b.lines, b.ends = append(b.lines, n), append(b.ends, len(b.data))
	return len(b.lines) == blockLines
}

// parse turns the block's lines into keys, stopping at the first bad one.
func (b *block) parse() {
	defer close(b.done)
	b.keys = make([]storage.NewKey, 0, len(b.lines))
	start := 0
	for i, n := range b.lines {
		k, err := parseLine(n, b.data[start:b.ends[i]], b.format)
		if err != nil {
			b.keys, b.err = nil, err
			break
		}
		b.keys, start = append(b.keys, k), b.ends[i]
	}
	b.data, b.lines, b.ends = nil, nil, nil
}

// firstBad is the index of the first block known to hold a bad line: the
// blocks after it need not be read or parsed.
type firstBad struct{ v atomic.Int64 }

func newFirstBad() *firstBad {
	f := &firstBad{}
	f.v.Store(math.MaxInt64)
	return f
}

// found lowers the mark to block i, racing other workers.
func (f *firstBad) found(i int) {
	for {
		old := f.v.Load()
		if int64(i) >= old || f.v.CompareAndSwap(old, int64(i)) {
			return
		}
	}
}

// after reports whether block i comes after a block known to be bad.
func (f *firstBad) after(i int) bool { return int64(i) > f.v.Load() }

// any reports whether a bad block was found.
func (f *firstBad) any() bool { return f.v.Load() != math.MaxInt64 }
