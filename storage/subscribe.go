package storage

import "sync"

type subscription struct {
	ch   chan struct{}
	once sync.Once
}

func (s *subscription) close() { s.once.Do(func() { close(s.ch) }) }

// Subscribe returns a channel that receives after every commit (changes
// that come quickly are coalesced into one signal) and a func that ends the
// subscription. The channel is closed when the subscription ends or the
// store closes.
func (s *Store) Subscribe() (<-chan struct{}, func()) {
	sub := &subscription{ch: make(chan struct{}, 1)}
	s.subMu.Lock()
	if s.closed {
		sub.close()
	} else {
		s.subs[sub] = struct{}{}
	}
	s.subMu.Unlock()
	return sub.ch, func() {
		s.subMu.Lock()
		delete(s.subs, sub)
		s.subMu.Unlock()
		sub.close()
	}
}

// Subscribers returns how many subscriptions are open (for leak tests).
func (s *Store) Subscribers() int {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	return len(s.subs)
}

func (s *Store) publish() {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	for sub := range s.subs {
		select {
		case sub.ch <- struct{}{}:
		default: // a signal is already waiting
		}
	}
}
