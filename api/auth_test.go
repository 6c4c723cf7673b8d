package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// cellKeys are, for one permission cell, a key with exactly that cell and
// a key with every cell but that one.
type cellKeys struct {
	only, allBut       model.Key
	onlyTok, allButTok model.Token
}

func TestAuthEveryRouteAllowsItsCellAndDeniesWithoutIt(t *testing.T) {
	f := newFixture(t)
	cells := map[[2]string]cellKeys{}
	for _, l := range tableLines(t) {
		res, err := model.LookupResource(l.resource)
		if err != nil {
			t.Fatalf("line %d: %v", l.no, err)
		}
		mode, modeName := model.Write, "write"
		methods := []string{l.method}
		if l.method == "GET" {
			mode, modeName = model.Read, "read"
			methods = append(methods, "HEAD")
		}
		cell := [2]string{l.resource, modeName}
		keys, ok := cells[cell]
		if !ok {
			var only model.Permissions
			if err := only.Grant(res, mode); err != nil {
				t.Fatalf("line %d: %v", l.no, err)
			}
			allBut := model.AllPermissions()
			allBut[res] &^= mode
			keys.only, keys.onlyTok = f.key("only "+l.resource+" "+modeName, only)
			keys.allBut, keys.allButTok = f.key("all but "+l.resource+" "+modeName, allBut)
			cells[cell] = keys
		}
		path := concretePath(l.pattern)
		for _, m := range methods {
			w := f.auth(keys.onlyTok, m, path)
			if w.Code != http.StatusOK || w.Header().Get("X-Keyrack-Key-Id") != keys.only.ID {
				t.Errorf("line %d: %s %s with only %s=%s: %d %q (key id %q), want 200 for %s",
					l.no, m, path, l.resource, modeName, w.Code, w.Body, w.Header().Get("X-Keyrack-Key-Id"), keys.only.ID)
			}
			code := modeName + "_action_not_allowed_for_" + l.resource
			w = f.auth(keys.allButTok, m, path)
			if w.Code != http.StatusForbidden || w.Body.String() != wantForbidden(code) || w.Header().Get("X-Keyrack-Code") != code {
				t.Errorf("line %d: %s %s with all but %s=%s: %d %q, want 403 %q",
					l.no, m, path, l.resource, modeName, w.Code, w.Body, wantForbidden(code))
			}
		}
	}
	if len(cells) < 60 {
		t.Errorf("only %d permission cells exercised; the table names more", len(cells))
	}
}

func TestAuthAnswers(t *testing.T) {
	f := newFixture(t)
	k, tok := f.key("Billing  sync", model.AllPermissions())
	_, readOnly := f.key("reader", model.Permissions{model.Resource(12): model.Read}) // invoice
	if model.Resource(12).String() != "invoice" {
		t.Fatal("resource 12 is not invoice")
	}

	w := f.auth(tok, "POST", "/api/v1/invoices")
	if w.Code != 200 || w.Body.Len() != 0 {
		t.Fatalf("allowed: %d %q, want 200 and no body", w.Code, w.Body)
	}
	if got := w.Header().Get("X-Keyrack-Key-Id"); got != k.ID {
		t.Errorf("X-Keyrack-Key-Id %q, want %q", got, k.ID)
	}
	if got := w.Header().Get("X-Keyrack-Key-Name"); got != "Billing  sync" {
		t.Errorf("X-Keyrack-Key-Name %q, want %q", got, "Billing  sync")
	}
	if got := w.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}

	wantAnswer(t, f.auth(readOnly, "GET", "/api/v1/invoices/inv_1.json?x=1"), 200, "")
	wantAnswer(t, f.auth(readOnly, "POST", "/api/v1/invoices"), 403, wantForbidden("write_action_not_allowed_for_invoice"))
	wantAnswer(t, f.auth(readOnly, "GET", "/api/v1/customers"), 403, wantForbidden("read_action_not_allowed_for_customer"))
	wantAnswer(t, f.auth(tok, "GET", "/api/v1/nothing"), 403, wantNotMapped)
	wantAnswer(t, f.auth(tok, "GET", "/admin"), 403, wantNotMapped)
	w = f.auth(model.Token{}, "GET", "/api/v1/invoices")
	wantAnswer(t, w, 401, wantUnauthorized)
	if got := w.Header().Get("WWW-Authenticate"); got != `Bearer realm="keyrack"` {
		t.Errorf("WWW-Authenticate %q", got)
	}

	unknown, _ := model.GenerateToken(strings.NewReader(strings.Repeat("x", 200)))
	wantAnswer(t, f.auth(unknown, "GET", "/api/v1/invoices"), 401, wantUnauthorized)
}

func TestAuthChecksTheTokenBeforeTheRoute(t *testing.T) {
	f := newFixture(t)
	wantAnswer(t, f.auth(model.Token{}, "GET", "/api/v1/nothing"), 401, wantUnauthorized)
	wantAnswer(t, f.auth(model.Token{}, "", ""), 401, wantUnauthorized)
}

func TestAuthRefusesAKeyAtTheInstantOfItsExpiry(t *testing.T) {
	f := newFixture(t)
	old, oldTok := f.key("ci", model.AllPermissions())
	_, newTok, err := f.store.Rotate("test", old.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	expiry := t0.Add(time.Hour)
	f.clock.Set(expiry.Add(-time.Nanosecond))
	wantAnswer(t, f.auth(oldTok, "GET", "/api/v1/customers"), 200, "")
	f.clock.Set(expiry) // no scheduler runs: the key is still stored
	wantAnswer(t, f.auth(oldTok, "GET", "/api/v1/customers"), 401, wantUnauthorized)
	wantAnswer(t, f.auth(newTok, "GET", "/api/v1/customers"), 200, "")
}

func TestAuthRotateNowRefusesTheOldTokenAtOnce(t *testing.T) {
	f := newFixture(t)
	old, oldTok := f.key("ci", model.AllPermissions())
	wantAnswer(t, f.auth(oldTok, "GET", "/api/v1/customers"), 200, "")
	_, newTok, err := f.store.Rotate("test", old.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantAnswer(t, f.auth(oldTok, "GET", "/api/v1/customers"), 401, wantUnauthorized)
	wantAnswer(t, f.auth(newTok, "GET", "/api/v1/customers"), 200, "")
}

func TestAuthRefusesMalformedAuthorizationWithoutALookup(t *testing.T) {
	f := newFixture(t)
	_, tok := f.key("ci", model.AllPermissions())
	valid := tok.Reveal()
	last := valid[len(valid)-1]
	badSum := valid[:len(valid)-1] + string("0123456789"[(last+1)%10])
	if last >= 'a' {
		badSum = valid[:len(valid)-1] + "A"
	}
	for _, tc := range []struct{ name, header string }{
		{"no header", ""},
		{"only spaces", "   "},
		{"no scheme", valid},
		{"scheme only", "Bearer"},
		{"scheme and a space", "Bearer "},
		{"another scheme", "Basic " + valid},
		{"token scheme", "Token " + valid},
		{"scheme glued to the token", "Bearer" + valid},
		{"tab after the scheme", "Bearer\t" + valid},
		{"10 KB", "Bearer " + strings.Repeat("A", 10<<10)},
		{"10 KB after a valid token", "Bearer " + valid + strings.Repeat("A", 10<<10)},
		{"non-ASCII", "Bearer kr_" + strings.Repeat("é", 15) + valid[len(valid)-6:]},
		{"bad checksum", "Bearer " + badSum},
		{"truncated", "Bearer " + valid[:len(valid)-1]},
		{"one character more", "Bearer " + valid + "A"},
		{"other prefix", "Bearer xx_" + valid[3:]},
		{"two tokens", "Bearer " + valid + " " + valid},
		{"quoted", `Bearer "` + valid + `"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := f.count.counts()
			w := serveAuthRequest(f.srv, tc.header, "GET", "/api/v1/customers")
			wantAnswer(t, w, 401, wantUnauthorized)
			if after, _ := f.count.counts(); after != before {
				t.Errorf("%d storage lookups for a malformed token, want 0", after-before)
			}
		})
	}
	if badSum == valid {
		t.Fatal("bad checksum case is the valid token")
	}
}

func TestAuthSchemeIsCaseInsensitive(t *testing.T) {
	f := newFixture(t)
	_, tok := f.key("ci", model.AllPermissions())
	for _, scheme := range []string{"Bearer", "bearer", "BEARER", "bEaReR"} {
		wantAnswer(t, serveAuthRequest(f.srv, scheme+" "+tok.Reveal(), "GET", "/api/v1/customers"), 200, "")
	}
	wantAnswer(t, serveAuthRequest(f.srv, "Bearer   "+tok.Reveal()+" ", "GET", "/api/v1/customers"), 200, "")
}

func TestAuthRefusesTwoAuthorizationHeaders(t *testing.T) {
	f := newFixture(t)
	_, tok := f.key("ci", model.AllPermissions())
	r := httptest.NewRequest("GET", "/auth", nil)
	r.Header.Add("Authorization", "Bearer "+tok.Reveal())
	r.Header.Add("Authorization", "Bearer "+tok.Reveal())
	r.Header.Set("X-Forwarded-Method", "GET")
	r.Header.Set("X-Forwarded-Uri", "/api/v1/customers")
	w := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(w, r)
	wantAnswer(t, w, 401, wantUnauthorized)
}

func TestAuthReadsTheForwardedRequest(t *testing.T) {
	f := newFixture(t)
	_, tok := f.key("customer reader", model.Permissions{9: model.Read}) // customer
	if model.Resource(9).String() != "customer" {
		t.Fatal("resource 9 is not customer")
	}
	type hdr = [2]string
	for _, tc := range []struct {
		name    string
		headers []hdr
		status  int
		body    string
	}{
		{"Traefik and Caddy", []hdr{{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "/api/v1/customers"}}, 200, ""},
		{"nginx", []hdr{{"X-Original-Method", "GET"}, {"X-Original-URI", "/api/v1/customers?page=2"}}, 200, ""},
		{"both pairs agreeing", []hdr{{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "/api/v1/customers"},
			{"X-Original-Method", "GET"}, {"X-Original-URI", "/api/v1/customers"}}, 200, ""},
		{"HEAD is a read", []hdr{{"X-Forwarded-Method", "HEAD"}, {"X-Forwarded-Uri", "/api/v1/customers"}}, 200, ""},
		{"one of each pair", []hdr{{"X-Forwarded-Method", "GET"}, {"X-Original-URI", "/api/v1/customers"}}, 200, ""},
		{"a write", []hdr{{"X-Forwarded-Method", "POST"}, {"X-Forwarded-Uri", "/api/v1/customers"}}, 403,
			wantForbidden("write_action_not_allowed_for_customer")},
		{"no URI", []hdr{{"X-Forwarded-Method", "GET"}}, 403, wantNotMapped},
		{"empty URI", []hdr{{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", ""}}, 403, wantNotMapped},
		{"no method", []hdr{{"X-Forwarded-Uri", "/api/v1/customers"}}, 403, wantNotMapped},
		{"nothing forwarded", nil, 403, wantNotMapped},
		{"absolute URI", []hdr{{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "https://lago.example/api/v1/customers"}}, 403, wantNotMapped},
		{"pairs disagree on the path", []hdr{{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "/api/v1/customers"},
			{"X-Original-Method", "GET"}, {"X-Original-URI", "/api/v1/invoices"}}, 403, wantNotMapped},
		{"pairs disagree on the method", []hdr{{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "/api/v1/customers"},
			{"X-Original-Method", "POST"}, {"X-Original-URI", "/api/v1/customers"}}, 403, wantNotMapped},
		{"URI twice", []hdr{{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "/api/v1/customers"},
			{"X-Forwarded-Uri", "/api/v1/customers"}}, 403, wantNotMapped},
		{"method twice", []hdr{{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Method", "GET"},
			{"X-Forwarded-Uri", "/api/v1/customers"}}, 403, wantNotMapped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/auth", nil)
			r.Header.Set("Authorization", "Bearer "+tok.Reveal())
			for _, h := range tc.headers {
				r.Header.Add(h[0], h[1])
			}
			w := httptest.NewRecorder()
			f.srv.Handler().ServeHTTP(w, r)
			wantAnswer(t, w, tc.status, tc.body)
		})
	}
}

func TestAuthAcceptsTheClientsMethodOnItself(t *testing.T) {
	f := newFixture(t)
	_, tok := f.key("ci", model.AllPermissions())
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"} {
		r := httptest.NewRequest(m, "/auth?x=1", strings.NewReader("ignored"))
		r.Header.Set("Authorization", "Bearer "+tok.Reveal())
		r.Header.Set("X-Original-Method", "GET")
		r.Header.Set("X-Original-URI", "/api/v1/customers/c1")
		w := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(w, r)
		if w.Code != 200 {
			t.Errorf("%s /auth: %d %q, want 200", m, w.Code, w.Body)
		}
	}
}

// fixedStore authenticates every token as one key.
type fixedStore struct {
	key model.Key
	err error
}

func (s fixedStore) Authenticate(model.Token, time.Time) (model.Key, error) { return s.key, s.err }
func (fixedStore) RecordLastUsed(map[string]time.Time) error                { return nil }
func (fixedStore) RecordUsage([]model.UsageHour) error                      { return nil }

func TestAuthKeyNameCannotBreakAHeader(t *testing.T) {
	tok, _ := model.GenerateToken(strings.NewReader(strings.Repeat("y", 200)))
	s := newServer(t, Options{Store: fixedStore{key: model.Key{ID: "abc", Name: "evil\r\nX-Injected: 1\x1b[31m\x00", Permissions: model.AllPermissions()}}})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/auth", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Reveal())
	req.Header.Set("X-Forwarded-Method", "GET")
	req.Header.Set("X-Forwarded-Uri", "/api/v1/customers")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Injected") != "" {
		t.Fatalf("status %d, X-Injected %q: the name reached the header raw", resp.StatusCode, resp.Header.Get("X-Injected"))
	}
	if got, want := resp.Header.Get("X-Keyrack-Key-Name"), "evil\uFFFD\uFFFDX-Injected: 1\uFFFD[31m\uFFFD"; got != want {
		t.Errorf("X-Keyrack-Key-Name %q, want %q", got, want)
	}
}

func TestAuthStorageFailureIsUnavailable(t *testing.T) {
	tok, _ := model.GenerateToken(strings.NewReader(strings.Repeat("y", 200)))
	s := newServer(t, Options{Store: fixedStore{err: errors.New("disk on fire")}})
	w := serveAuthRequest(s, "Bearer "+tok.Reveal(), "GET", "/api/v1/customers")
	wantAnswer(t, w, 503, `{"status":503,"error":"Service Unavailable"}`)
	s = newServer(t, Options{Store: fixedStore{err: storage.ErrUnauthorized}})
	wantAnswer(t, serveAuthRequest(s, "Bearer "+tok.Reveal(), "GET", "/api/v1/customers"), 401, wantUnauthorized)
}

func TestLogsNeverNameTheToken(t *testing.T) {
	f := newFixture(t)
	k, tok := f.key("ci", model.Permissions{})
	valid := tok.Reveal()
	f.auth(tok, "GET", "/api/v1/customers")
	f.auth(tok, "GET", "/api/v1/nothing?api_key="+valid)
	serveAuthRequest(f.srv, "Bearer "+valid[:len(valid)-1]+"x", "GET", "/api/v1/customers")
	serveAuthRequest(f.srv, valid, "GET", "/api/v1/customers")
	verify(f.srv, `{"token":"`+valid+`","resource":"invoice","mode":"write"}`)
	verify(f.srv, `{"token":"`+valid+`","resource":"invoice","mode":"write","extra":1}`)
	verify(f.srv, `{"`+valid+`":1}`)
	f.srv.Shutdown(context.Background())
	logs := f.logs.String()
	if !strings.Contains(logs, k.ID) {
		t.Fatalf("the key id is not logged; logs:\n%s", logs)
	}
	if strings.Contains(logs, valid[3:20]) || strings.Contains(logs, valid[20:]) {
		t.Fatalf("a log line holds the token:\n%s", logs)
	}
}
