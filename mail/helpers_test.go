package mail

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

var (
	admins = []string{"ada@example.com", "bob@example.com"}
	others = []string{"max@example.com", "fin@example.com"}
)

// openStore opens a fresh store on a fake clock with two admins, a manager
// and a finance member.
func openStore(t testing.TB) (*storage.Store, *clock.Fake, string) {
	t.Helper()
	t.Setenv(storage.MasterKeyEnv, "")
	clk := clock.NewFake(t0)
	path := filepath.Join(t.TempDir(), "keyrack.db")
	st, err := storage.Open(path, storage.Options{Clock: clk, Org: "Acme & Co"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for i, email := range append(append([]string{}, admins...), others...) {
		role := []model.Role{model.RoleAdmin, model.RoleAdmin, model.RoleManager, model.RoleFinance}[i]
		if _, err := st.AddMember("tester", email, role, nil); err != nil {
			t.Fatal(err)
		}
	}
	return st, clk, path
}

func newWorker(t testing.TB, st Store, cfg Config, clk clock.Clock) *Worker {
	t.Helper()
	w, err := New(st, cfg, clk, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func deliverNow(w *Worker) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return w.DeliverNow(ctx)
}

// parsed is a received message with its headers and decoded parts.
type parsed struct {
	Header netmail.Header
	Parts  map[string]string // content type → decoded body
}

func parse(t testing.TB, raw string) parsed {
	t.Helper()
	m, err := netmail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("unparseable message: %v\n%s", err, raw)
	}
	p := parsed{Header: m.Header, Parts: map[string]string{}}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: want multipart/alternative (%v)", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(part)
		if part.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			if body, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body))); err != nil {
				t.Fatal(err)
			}
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		p.Parts[ct] = string(body)
	}
	return p
}

// wantEachOnce checks that the sink received n distinct mails (by
// Message-ID), each once.
func wantEachOnce(t testing.TB, sk *testkit.SMTPSink, n int) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range sk.Mails() {
		seen[parse(t, m.Data).Header.Get("Message-Id")]++
	}
	for id, times := range seen {
		if times != 1 {
			t.Errorf("mail %s delivered %d times", id, times)
		}
	}
	if len(seen) != n {
		t.Fatalf("%d distinct mails delivered (%v), want %d", len(seen), seen, n)
	}
}

var tokenShape = regexp.MustCompile(`kr_[0-9A-Za-z]{36}`)

// assertNoToken checks every byte of a message, raw and decoded, for the
// tokens (whole, or their secret part) and for anything shaped like one.
func assertNoToken(t testing.TB, raw string, p parsed, tokens []string) {
	t.Helper()
	texts := []string{raw}
	for _, body := range p.Parts {
		texts = append(texts, body)
	}
	for _, text := range texts {
		flat := strings.NewReplacer("=\r\n", "", "\r\n", "", "\n", "").Replace(text)
		for _, tok := range tokens {
			if strings.Contains(text, tok[3:]) || strings.Contains(flat, tok[3:]) || strings.Contains(text, tok[3:20]) {
				t.Fatalf("message contains token %s…", tok[:8])
			}
		}
		if tokenShape.MatchString(text) || tokenShape.MatchString(flat) {
			t.Fatalf("message contains something shaped like a token: %q", tokenShape.FindString(flat))
		}
	}
}

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}
