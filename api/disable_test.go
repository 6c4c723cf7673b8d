package api

import (
	"net/http"
	"testing"

	"github.com/keyrack/keyrack/model"
)

func TestDisabledKeyIsRefusedAtOnceLikeAnUnknownToken(t *testing.T) {
	f := newFixture(t)
	k, tok := f.key("ci", model.AllPermissions())
	wantAnswer(t, f.auth(tok, "GET", "/api/v1/invoices"), http.StatusOK, "")
	if _, err := f.store.Disable("test", k.ID); err != nil {
		t.Fatal(err)
	}
	w := f.auth(tok, "GET", "/api/v1/invoices")
	wantAnswer(t, w, http.StatusUnauthorized, wantUnauthorized)
	if w.Header().Get("X-Keyrack-Key-Id") != "" {
		t.Fatal("a refused disabled key is named in the answer")
	}
	body := `{"token":"` + tok.Reveal() + `","resource":"invoice","mode":"read"}`
	const unknown = `{"valid":false,"allowed":false,"key_id":"","key_name":"","resource":"invoice","mode":"read","code":"unauthorized"}`
	if got := verify(f.srv, body).Body.String(); got != unknown {
		t.Fatalf("verify of a disabled key: %s", got)
	}
	if _, err := f.store.Enable("test", k.ID); err != nil {
		t.Fatal(err)
	}
	wantAnswer(t, f.auth(tok, "GET", "/api/v1/invoices"), http.StatusOK, "")
}
