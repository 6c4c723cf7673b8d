package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

func TestLastUsedWritesAtMostOncePerFlushInterval(t *testing.T) {
	t.Setenv(storage.MasterKeyEnv, "")
	st, err := storage.Open(filepath.Join(t.TempDir(), "keyrack.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	k, tok, err := st.Create("test", "busy", model.AllPermissions())
	if err != nil {
		t.Fatal(err)
	}
	count := &countingStore{Store: st}
	const every = 250 * time.Millisecond
	s := newServer(t, Options{Store: count, FlushEvery: every})

	// 10,000 requests from 4 clients over 2 s: 20 bursts, one every 100 ms.
	const bursts, clients, perClient = 20, 4, 125
	start := time.Now()
	for b := range bursts {
		var wg sync.WaitGroup
		for range clients {
			wg.Go(func() {
				for range perClient {
					if w := serveAuthRequest(s, bearer(tok), "GET", "/api/v1/customers"); w.Code != 200 {
						t.Errorf("request: %d %q", w.Code, w.Body)
						return
					}
				}
			})
		}
		wg.Wait()
		time.Sleep(time.Until(start.Add(time.Duration(b+1) * 100 * time.Millisecond)))
	}
	elapsed := time.Since(start)
	lastRequest := time.Now()
	_, writes := count.counts()
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	if max := int(elapsed / every); writes > max {
		t.Errorf("%d writes in %s, want at most one per %s (%d)", writes, elapsed, every, max)
	}
	if writes == 0 {
		t.Errorf("no write in %s with a flush every %s", elapsed, every)
	}
	count.mu.Lock()
	defer count.mu.Unlock()
	for i := 1; i < writes; i++ { // the last write, at shutdown, may come early
		if gap := count.writeTimes[i].Sub(count.writeTimes[i-1]); gap < every {
			t.Errorf("writes %d and %d only %s apart, want at least %s", i, i+1, gap, every)
		}
	}
	for i, w := range count.writes {
		if len(w) != 1 {
			t.Errorf("write %d holds %d keys, want 1", i+1, len(w))
		}
	}
	got, err := st.Get(k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastUsedAt.Before(start) || got.LastUsedAt.After(lastRequest) {
		t.Errorf("last used %v, want the last request's time (between %v and %v)", got.LastUsedAt, start, lastRequest)
	}
}

func TestLastUsedSkipsEventIngestionOnly(t *testing.T) {
	f := newFixture(t)
	k, tok := f.key("ingest", model.AllPermissions())
	f.clock.Advance(time.Minute)
	wantAnswer(t, f.auth(tok, "POST", "/api/v1/events"), 200, "")
	wantAnswer(t, f.auth(tok, "POST", "/api/v1/events.json?x=1"), 200, "")
	if err := f.srv.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := f.lastUsed(k.ID); !got.IsZero() {
		t.Fatalf("POST /api/v1/events set last used to %v", got)
	}
	f.clock.Advance(time.Minute)
	wantAnswer(t, f.auth(tok, "POST", "/api/v1/events/batch"), 200, "")
	if err := f.srv.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := f.lastUsed(k.ID), t0.Add(2*time.Minute); !got.Equal(want) {
		t.Fatalf("after POST /api/v1/events/batch last used is %v, want %v", got, want)
	}
}

func TestLastUsedCountsARefusedRequest(t *testing.T) {
	f := newFixture(t)
	k, tok := f.key("nothing", model.Permissions{})
	wantAnswer(t, f.auth(tok, "GET", "/api/v1/customers"), 403, wantForbidden("read_action_not_allowed_for_customer"))
	f.clock.Advance(time.Second)
	wantAnswer(t, f.auth(tok, "GET", "/unmapped"), 403, wantNotMapped)
	f.srv.Flush()
	if got, want := f.lastUsed(k.ID), t0.Add(time.Second); !got.Equal(want) {
		t.Fatalf("last used %v, want %v", got, want)
	}
}

func TestLastUsedSurvivesAGracefulRestart(t *testing.T) {
	f := newFixture(t)
	k, tok := f.key("ci", model.AllPermissions())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- f.srv.Serve(ln) }()
	f.clock.Advance(90 * time.Second)
	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/auth", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Reveal())
	req.Header.Set("X-Forwarded-Method", "GET")
	req.Header.Set("X-Forwarded-Uri", "/api/v1/customers")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if _, writes := f.count.counts(); writes != 0 {
		t.Fatalf("%d writes before shutdown, want 0 (flush every hour)", writes)
	}

	f.close()
	if err := <-served; err != nil {
		t.Fatalf("Serve after Shutdown: %v, want nil", err)
	}
	f.open()
	if got, want := f.lastUsed(k.ID), t0.Add(90*time.Second); !got.Equal(want) {
		t.Fatalf("after restart last used is %v, want %v", got, want)
	}
}

func TestFlusherWritesEveryInterval(t *testing.T) {
	f := newFixture(t)
	f.srv.Shutdown(context.Background()) // replace the fixture's hourly flusher
	f.srv = newServer(t, Options{Store: f.count, Clock: f.clock})
	k, tok := f.key("ci", model.AllPermissions())
	waitArmed(t, f)
	f.auth(tok, "GET", "/api/v1/customers")
	f.clock.Advance(DefaultFlushEvery - time.Nanosecond)
	if _, writes := f.count.counts(); writes != 0 {
		t.Fatalf("%d writes before the interval ended", writes)
	}
	f.clock.Advance(time.Nanosecond)
	testkit.Eventually(t, 5*time.Second, "last used written", func() bool { return f.lastUsed(k.ID).Equal(t0) })
	waitArmed(t, f)
	f.clock.Advance(DefaultFlushEvery) // nothing pending: no write
	waitArmed(t, f)
	if _, writes := f.count.counts(); writes != 1 {
		t.Fatalf("%d writes, want 1: an empty flush must not write", writes)
	}
}

func TestFlushKeepsTimesWhoseWriteFailed(t *testing.T) {
	f := newFixture(t)
	k, tok := f.key("ci", model.AllPermissions())
	f.auth(tok, "GET", "/api/v1/customers")
	f.count.mu.Lock()
	f.count.failWrites = errors.New("disk full")
	f.count.mu.Unlock()
	if err := f.srv.Flush(); err == nil {
		t.Fatal("Flush hid a failed write")
	}
	f.count.mu.Lock()
	f.count.failWrites = nil
	f.count.mu.Unlock()
	if err := f.srv.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := f.lastUsed(k.ID); !got.Equal(t0) {
		t.Fatalf("last used %v after a retried write, want %v", got, t0)
	}
}

func TestFlushSkipsAKeyDeletedMeanwhile(t *testing.T) {
	f := newFixture(t)
	k, tok := f.key("ci", model.AllPermissions())
	f.auth(tok, "GET", "/api/v1/customers")
	if err := f.store.Delete("test", k.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.Flush(); err != nil {
		t.Fatalf("flush after delete: %v", err)
	}
	if _, err := f.store.Get(k.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("deleted key came back: %v", err)
	}
}

// gateStore holds every Authenticate until released.
type gateStore struct {
	fixedStore
	entered chan struct{}
	release chan struct{}
	mu      sync.Mutex
	written map[string]time.Time
}

func (g *gateStore) Authenticate(tok model.Token, now time.Time) (model.Key, error) {
	g.entered <- struct{}{}
	<-g.release
	return g.fixedStore.Authenticate(tok, now)
}

func (g *gateStore) RecordLastUsed(m map[string]time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.written = m
	return nil
}

func TestShutdownDrainsRequestsThenFlushes(t *testing.T) {
	tok, _ := model.GenerateToken(constReader('z'))
	g := &gateStore{fixedStore: fixedStore{key: model.Key{ID: "k1", Permissions: model.AllPermissions()}},
		entered: make(chan struct{}), release: make(chan struct{})}
	s := newServer(t, Options{Store: g, FlushEvery: time.Hour})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	status := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/auth", nil)
		req.Header.Set("Authorization", "Bearer "+tok.Reveal())
		req.Header.Set("X-Original-Method", "GET")
		req.Header.Set("X-Original-URI", "/api/v1/plans")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			status <- -1
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	<-g.entered
	done := make(chan error, 1)
	go func() { done <- s.Shutdown(context.Background()) }()
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) with a request in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(g.release)
	if got := <-status; got != 200 {
		t.Fatalf("in-flight request: status %d, want 200", got)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.written["k1"]; !ok {
		t.Fatalf("shutdown flushed %v, want the drained request's key", g.written)
	}
}

type constReader byte

func (c constReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

// waitArmed waits until the flusher waits on the fake clock.
func waitArmed(t *testing.T, f *fixture) {
	t.Helper()
	testkit.Eventually(t, 5*time.Second, "the flusher armed its timer", func() bool { return f.clock.Waiters() == 1 })
}
