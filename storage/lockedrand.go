package storage

import (
	"io"
	"sync"
)

// lockedReader makes a random source safe for concurrent use: bulk
// creation draws tokens and seal nonces on its own goroutine (ahead.go)
// while other writers draw theirs, and Options.Rand need not allow that
// (a math/rand/v2 generator does not).
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}
