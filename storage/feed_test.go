package storage

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	kvbolt "github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/kv"
)

// waitForEvent reads sub until an event of action about key id arrives.
func waitForEvent(t *testing.T, sub *Subscription, action, id string) {
	t.Helper()
	for range sub.C() {
		for _, e := range sub.Events() {
			if e.Action == action && e.KeyID == id {
				return
			}
		}
	}
	t.Fatalf("subscription closed before %s of %s arrived", action, id)
}

func keyIDs(t *testing.T, s *Store) map[string]string {
	t.Helper()
	sn, err := s.Keys()
	must(t, err)
	names := map[string]string{}
	sn.Ascend(0, func(_ int, k model.Key) bool {
		names[k.ID] = k.Name
		return true
	})
	return names
}

// Two nodes on one etcd: what the second commits reaches the first's auth
// cache, key list and subscribers through the change stream.
func TestAChangeOnAnotherNodeReachesCachesAndSubscribers(t *testing.T) {
	prefix, clk := newEtcdPrefix(), clock.NewFake(t0)
	a := openEtcd(t, prefix, Options{Clock: clk, Org: "Acme", Node: "a"})
	b := openEtcd(t, prefix, Options{Clock: clk, Node: "b"})
	must(t, a.Preload())
	sub := a.Watch()
	defer sub.Close()

	k, tok := mustCreate(t, b, "made on b")
	waitForEvent(t, sub, model.ActionCreate, k.ID)
	if got, err := a.Authenticate(tok, clk.Now()); err != nil || got.ID != k.ID {
		t.Fatalf("a authenticates b's new key: %+v, %v", got, err)
	}
	if name := keyIDs(t, a)[k.ID]; name != "made on b" {
		t.Fatalf("a's key list has %q for b's key", name)
	}

	_, err := b.Disable("tester", k.ID)
	must(t, err)
	waitForEvent(t, sub, model.ActionDisable, k.ID)
	if _, err := a.Authenticate(tok, clk.Now()); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("a authenticates a key b disabled: %v", err)
	}

	must(t, b.Delete("tester", k.ID))
	waitForEvent(t, sub, model.ActionDelete, k.ID)
	if _, ok := keyIDs(t, a)[k.ID]; ok {
		t.Fatal("a still lists a key b deleted")
	}
}

// Whoever writes reads what it wrote at once: the write returns only once
// the caches have its commit, also when the stream comes from etcd.
func TestAWriterSeesItsOwnWriteAtOnce(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		must(t, s.Preload())
		for i := range 20 {
			k, tok := mustCreate(t, s, "fresh")
			if _, err := s.Authenticate(tok, clk.Now()); err != nil {
				t.Fatalf("create %d: its token is refused right after: %v", i, err)
			}
			name := "renamed"
			if _, err := s.Rename("tester", k.ID, name); err != nil {
				t.Fatal(err)
			}
			if got := keyIDs(t, s)[k.ID]; got != name {
				t.Fatalf("rename %d: the key list says %q right after", i, got)
			}
		}
	})
}

// compactingBackend makes its streams lose one commit, as a stream that
// fell behind a compaction does: Next says kv.ErrCompacted instead.
type compactingBackend struct {
	kv.Backend
	loseNext atomic.Bool
}

func (b *compactingBackend) Changes(ctx context.Context, after int64) (kv.Stream, error) {
	st, err := b.Backend.Changes(ctx, after)
	if err != nil {
		return nil, err
	}
	return &compactingStream{Stream: st, b: b}, nil
}

type compactingStream struct {
	kv.Stream
	b *compactingBackend
}

func (s *compactingStream) Next(ctx context.Context) (kv.Commit, error) {
	c, err := s.Stream.Next(ctx)
	if err == nil && len(c.Changes) > 0 && s.b.loseNext.CompareAndSwap(true, false) {
		return kv.Commit{}, kv.ErrCompacted
	}
	return c, err
}

// A stream that lost commits (kv.ErrCompacted) leads to a reload: the
// lost change is in the caches afterwards, the other keys authenticated
// throughout, and subscribers are told to re-read everything.
func TestCompactedStreamReloadsAndKeepsServing(t *testing.T) {
	t.Setenv(MasterKeyEnv, "")
	file, err := kvbolt.Open(filepath.Join(t.TempDir(), "keyrack.db"), kvbolt.Options{})
	must(t, err)
	be := &compactingBackend{Backend: file}
	clk := clock.NewFake(t0)
	s, err := OpenBackend(be, Options{Clock: clk, Org: "Acme", MasterKey: testMasterKey})
	must(t, err)
	defer s.Close()
	_, kept := mustCreate(t, s, "kept")
	must(t, s.Preload())
	sub := s.Watch()
	defer sub.Close()

	be.loseNext.Store(true)
	k, tok := mustCreate(t, s, "lost by the stream")
	for lost := false; !lost; {
		<-sub.C()
		for _, e := range sub.Events() {
			lost = lost || e.Lost
		}
	}
	if _, err := s.Authenticate(tok, clk.Now()); err != nil {
		t.Fatalf("the key whose commit the stream lost is refused after the reload: %v", err)
	}
	if _, err := s.Authenticate(kept, clk.Now()); err != nil {
		t.Fatalf("a key from before is refused after the reload: %v", err)
	}
	if keyIDs(t, s)[k.ID] != "lost by the stream" {
		t.Fatal("the reloaded key list misses the lost commit's key")
	}
	other, otherTok := mustCreate(t, s, "after the reload")
	waitForEvent(t, sub, model.ActionCreate, other.ID)
	if _, err := s.Authenticate(otherTok, clk.Now()); err != nil {
		t.Fatalf("the stream resumed after the reload does not reach the caches: %v", err)
	}
}

// AuthenticateDirect answers from the backend as Authenticate does from
// memory, and says when the backend did not answer.
func TestAuthenticateDirectReadsTheBackend(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		k, tok := mustCreate(t, s, "direct")
		ctx := context.Background()
		if got, err := s.AuthenticateDirect(ctx, tok, clk.Now()); err != nil || got.ID != k.ID {
			t.Fatalf("AuthenticateDirect = %+v, %v; want key %s", got, err, k.ID)
		}
		_, err := s.Disable("tester", k.ID)
		must(t, err)
		if _, err := s.AuthenticateDirect(ctx, tok, clk.Now()); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("a disabled key: %v, want ErrUnauthorized", err)
		}
		stranger, _ := model.ParseLagoToken("00000000-6b7d-4e21-9a0b-000000000000")
		if _, err := s.AuthenticateDirect(ctx, stranger, clk.Now()); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("an unknown token: %v, want ErrUnauthorized", err)
		}
		gone, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.AuthenticateDirect(gone, tok, clk.Now()); err == nil || errors.Is(err, ErrUnauthorized) {
			t.Fatalf("no answer from the backend: %v, want an error other than ErrUnauthorized", err)
		}
	})
}

// Freshness is known once the caches follow the stream.
func TestFreshnessOnceFollowing(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		if _, ok := s.Freshness(); ok {
			t.Fatal("Freshness ok before the caches are loaded")
		}
		must(t, s.Preload())
		if _, ok := s.Freshness(); !ok {
			t.Fatal("Freshness not ok once loaded")
		}
		must(t, s.Ready())
	})
}
