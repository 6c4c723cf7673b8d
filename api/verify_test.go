package api

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
)

func verify(s *Server, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/v1/verify", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

func TestVerifyAnswers(t *testing.T) {
	f := newFixture(t)
	k, tok := f.key("Reader", model.Permissions{12: model.Read}) // invoice
	valid := tok.Reveal()
	for _, tc := range []struct{ name, body, want string }{
		{"allowed", `{"token":"` + valid + `","resource":"invoice","mode":"read"}`,
			`{"valid":true,"allowed":true,"key_id":"` + k.ID + `","key_name":"Reader","resource":"invoice","mode":"read","code":""}`},
		{"denied", `{"token":"` + valid + `","resource":"invoice","mode":"write"}`,
			`{"valid":true,"allowed":false,"key_id":"` + k.ID + `","key_name":"Reader","resource":"invoice","mode":"write","code":"write_action_not_allowed_for_invoice"}`},
		{"write on a read-only resource", `{"token":"` + valid + `","resource":"analytic","mode":"write"}`,
			`{"valid":true,"allowed":false,"key_id":"` + k.ID + `","key_name":"Reader","resource":"analytic","mode":"write","code":"write_action_not_allowed_for_analytic"}`},
		{"by method and path", `{"token":"` + valid + `","method":"GET","path":"/api/v1/invoices/i1.json"}`,
			`{"valid":true,"allowed":true,"key_id":"` + k.ID + `","key_name":"Reader","resource":"invoice","mode":"read","code":""}`},
		{"path denied", `{"token":"` + valid + `","method":"DELETE","path":"/api/v1/customers/c1"}`,
			`{"valid":true,"allowed":false,"key_id":"` + k.ID + `","key_name":"Reader","resource":"customer","mode":"write","code":"write_action_not_allowed_for_customer"}`},
		{"unmapped path", `{"token":"` + valid + `","method":"GET","path":"/nowhere"}`,
			`{"valid":true,"allowed":false,"key_id":"` + k.ID + `","key_name":"Reader","resource":"","mode":"","code":"route_not_mapped"}`},
		{"malformed token", `{"token":"kr_nope","resource":"invoice","mode":"read"}`,
			`{"valid":false,"allowed":false,"key_id":"","key_name":"","resource":"invoice","mode":"read","code":"unauthorized"}`},
		{"empty token", `{"token":"","resource":"invoice","mode":"read"}`,
			`{"valid":false,"allowed":false,"key_id":"","key_name":"","resource":"invoice","mode":"read","code":"unauthorized"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantAnswer(t, verify(f.srv, tc.body), 200, tc.want)
		})
	}
}

func TestVerifyTracksLastUsedLikeAuth(t *testing.T) {
	f := newFixture(t)
	k, tok := f.key("ingest", model.AllPermissions())
	verify(f.srv, `{"token":"`+tok.Reveal()+`","method":"POST","path":"/api/v1/events"}`)
	if f.srv.Flush(); !f.lastUsed(k.ID).IsZero() {
		t.Fatal("POST /api/v1/events through verify set last used")
	}
	verify(f.srv, `{"token":"`+tok.Reveal()+`","resource":"event","mode":"write"}`)
	if f.srv.Flush(); !f.lastUsed(k.ID).Equal(t0) {
		t.Fatalf("last used %v after a verify by resource, want %v", f.lastUsed(k.ID), t0)
	}
}

func TestVerifyRefusesRequestsItCannotRead(t *testing.T) {
	f := newFixture(t)
	tooBig := `{"token":"` + strings.Repeat("a", 1<<20) + `"}`
	for _, tc := range []struct {
		name, method, body string
		status             int
		message            string
	}{
		{"GET", "GET", "", 405, ""},
		{"empty body", "POST", "", 400, "body is empty: want a JSON object"},
		{"not JSON", "POST", "token=kr_x", 400, "body is not valid JSON at byte 2: invalid character 'o' in literal true (expecting 'r')"},
		{"cut short", "POST", `{"token":"kr_`, 400, "body is not valid JSON: it ends too early"},
		{"an array", "POST", `[]`, 400, "body must be a JSON object"},
		{"token not a string", "POST", `{"token":42,"resource":"invoice","mode":"read"}`, 400, `field "token" must be a string`},
		{"unknown field", "POST", `{"token":"kr_x","resource":"invoice","mode":"read","scope":"all"}`, 400, `unknown field "scope"`},
		{"two objects", "POST", `{"token":"kr_x","resource":"invoice","mode":"read"}{}`, 400, "body has data after the JSON object"},
		{"no token", "POST", `{"resource":"invoice","mode":"read"}`, 400, `field "token" is required`},
		{"null token", "POST", `{"token":null,"resource":"invoice","mode":"read"}`, 400, `field "token" is required`},
		{"nothing to check", "POST", `{"token":"kr_x"}`, 400, `give "resource" and "mode" (read or write), or "method" and "path"`},
		{"both forms", "POST", `{"token":"kr_x","resource":"invoice","mode":"read","method":"GET","path":"/api/v1/invoices"}`, 400,
			`give "resource" and "mode", or "method" and "path", not both`},
		{"path without method", "POST", `{"token":"kr_x","path":"/api/v1/invoices"}`, 400, `"method" and "path" go together`},
		{"unknown resource", "POST", `{"token":"kr_x","resource":"invoices","mode":"read"}`, 400, `unknown resource "invoices"`},
		{"no mode", "POST", `{"token":"kr_x","resource":"invoice"}`, 400, `unknown mode "" (want read or write)`},
		{"bad mode", "POST", `{"token":"kr_x","resource":"invoice","mode":"read+write"}`, 400, `unknown mode "read+write" (want read or write)`},
		{"over 1 MiB", "POST", tooBig, 413, "body is larger than 1 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/v1/verify", strings.NewReader(tc.body))
			w := httptest.NewRecorder()
			f.srv.Handler().ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Fatalf("status %d %q, want %d", w.Code, w.Body, tc.status)
			}
			if tc.message == "" {
				return
			}
			var got struct {
				Status  int
				Error   string
				Message string
			}
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %q: %v", w.Body, err)
			}
			if got.Status != tc.status || got.Message != tc.message {
				t.Errorf("body %q, want status %d and message %q", w.Body, tc.status, tc.message)
			}
		})
	}
	if a, _ := f.count.counts(); a != 0 {
		t.Errorf("%d storage lookups for requests that were refused, want 0", a)
	}
}

func TestVerifyErrorsNeverEchoATokenSentInTheWrongPlace(t *testing.T) {
	f := newFixture(t)
	_, tok := f.key("Reader", model.AllPermissions())
	secret := tok.Reveal()
	for _, body := range []string{
		`{"token":"kr_x","` + secret + `":"read"}`,
		`{"token":"kr_x","resource":"` + secret + `","mode":"read"}`,
		`{"token":"kr_x","resource":"invoice","mode":"` + secret + `"}`,
	} {
		w := verify(f.srv, body)
		if w.Code != 400 {
			t.Fatalf("status %d %q, want 400", w.Code, w.Body)
		}
		if got := w.Body.String(); strings.Contains(got, secret[3:12]) {
			t.Errorf("error body repeats the token: %s", got)
		}
	}
}
