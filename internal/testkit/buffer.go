package testkit

import (
	"bytes"
	"sync"
)

// Buffer is a bytes buffer that goroutines may write and read at once: a
// log sink for a server under test, or a program's output. Len and From
// let a test look only at what was written after a mark.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string { return b.From(0) }

// From returns what was written from offset on: nothing if less was
// written.
func (b *Buffer) From(offset int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if offset > b.b.Len() {
		return ""
	}
	return string(b.b.Bytes()[offset:])
}

// Len returns how much was written so far.
func (b *Buffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Len()
}
