package bolt

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
)

// TestACommitAfterCloseBeganDoesNotPanic: Close closes the history before
// it waits for a running write, whose commit then reaches a closed history.
func TestACommitAfterCloseBeganDoesNotPanic(t *testing.T) {
	h := newHistory(0, 4, 1<<20)
	h.close()
	h.add(kv.Commit{Revision: 1, Changes: []kv.Change{{Key: []byte("k")}}})
	if _, err := h.open(0); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("open on a closed history: %v, want kv.ErrClosed", err)
	}
}

// bigCommit is a commit of one change of 256 KiB: four fill recentBytes.
func bigCommit(rev int64) kv.Commit {
	return kv.Commit{Revision: rev, Changes: []kv.Change{{Bucket: "b", Key: []byte("k"), Value: make([]byte, 256<<10)}}}
}

// drain reads every commit up to rev from s.
func drain(t *testing.T, s *stream, rev int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		c, err := s.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c.Revision == rev {
			return
		}
	}
}

// The history holds what a stream has not read, and lets it go once read:
// after bulk work its commits do not stay in memory.
func TestCommitsReadByEveryStreamAreLetGo(t *testing.T) {
	h := newHistory(0, 1024, 64<<20)
	s, err := h.open(0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for rev := int64(1); rev <= 40; rev++ {
		h.add(bigCommit(rev))
	}
	if h.bytes < 40*256<<10 {
		t.Fatalf("history holds %d bytes while a stream has read none of 40 commits of 256 KiB", h.bytes)
	}
	drain(t, s, 40)
	if h.bytes > recentBytes || len(h.commits) > recentCommits {
		t.Fatalf("after the only stream read them the history still holds %d commits, %d bytes", len(h.commits), h.bytes)
	}
	if _, err := h.open(1); !errors.Is(err, kv.ErrCompacted) {
		t.Fatalf("a stream from a let-go revision: %v, want ErrCompacted", err)
	}
}

// With no stream and no load, a commit larger than the recent window is
// not kept at all; small recent ones are, for a stream from a revision
// read a moment ago.
func TestUnneededCommitsAreNotKept(t *testing.T) {
	h := newHistory(0, 1024, 64<<20)
	h.add(kv.Commit{Revision: 1, Changes: []kv.Change{{Bucket: "b", Key: []byte("small")}}})
	h.add(bigCommit(2))
	h.add(bigCommit(3))
	h.add(bigCommit(4))
	h.add(bigCommit(5))
	if h.bytes > recentBytes {
		t.Fatalf("history holds %d bytes that no stream needs, over the recent window's %d", h.bytes, recentBytes)
	}
	if _, err := h.open(1); !errors.Is(err, kv.ErrCompacted) {
		t.Fatalf("revision 1, pushed out of the recent window: %v, want ErrCompacted", err)
	}
	s, err := h.open(4)
	if err != nil {
		t.Fatalf("a stream from the revision before the newest: %v", err)
	}
	s.Close()
}

// A load pins its revision: the commits after it are kept until the
// stream opens there, and let go when the pin expires unused.
func TestALoadKeepsTheCommitsAfterItForItsStream(t *testing.T) {
	now := time.Unix(1000, 0)
	h := newHistory(0, 1024, 64<<20)
	h.now = func() time.Time { return now }
	h.pin(0)
	for rev := int64(1); rev <= 20; rev++ {
		h.add(bigCommit(rev))
	}
	s, err := h.open(0)
	if err != nil {
		t.Fatalf("the stream after a load, 20 big commits later: %v", err)
	}
	drain(t, s, 20)
	s.Close()
	if h.bytes > recentBytes {
		t.Fatalf("after the load's stream read them the history still holds %d bytes", h.bytes)
	}

	h.pin(20)
	for rev := int64(21); rev <= 30; rev++ {
		h.add(bigCommit(rev))
	}
	now = now.Add(pinFor)
	h.add(bigCommit(31))
	if h.bytes > recentBytes {
		t.Fatalf("a pin past its time still keeps %d bytes", h.bytes)
	}
	if _, err := h.open(20); !errors.Is(err, kv.ErrCompacted) {
		t.Fatalf("a stream after an expired pin: %v, want ErrCompacted", err)
	}
}
