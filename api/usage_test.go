package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestUsageCountsAndSuggestionFromARealRun(t *testing.T) {
	f := newFixture(t)
	perms, err := model.ParsePermissions("customer=read+write,invoice=read+write,plan=read")
	if err != nil {
		t.Fatal(err)
	}
	k, tok := f.key("app", perms)
	for _, r := range []struct {
		method, uri   string
		status, times int
	}{
		{"GET", "/api/v1/customers", http.StatusOK, 3},
		{"POST", "/api/v1/invoices", http.StatusOK, 2},
		{"POST", "/api/v1/plans", http.StatusForbidden, 1},
		{"GET", "/nowhere", http.StatusForbidden, 1},
	} {
		for range r.times {
			if w := f.auth(tok, r.method, r.uri); w.Code != r.status {
				t.Fatalf("%s %s: %d, want %d", r.method, r.uri, w.Code, r.status)
			}
		}
	}
	f.clock.Advance(time.Hour)
	f.auth(tok, "GET", "/api/v1/customers")
	if err := f.srv.Flush(); err != nil {
		t.Fatal(err)
	}
	_, u, err := f.store.Usage(k.ID, t0.Add(-model.Day))
	if err != nil {
		t.Fatal(err)
	}
	customer, _ := model.LookupResource("customer")
	plan, _ := model.LookupResource("plan")
	if u.Allowed != 6 || u.Refused != 2 || len(u.Hours) != 2 || u.Hours[0].Allowed != 5 || u.Hours[1].Allowed != 1 {
		t.Fatalf("totals %d/%d, hours %+v", u.Allowed, u.Refused, len(u.Hours))
	}
	if c := u.Modes[customer][0]; c.Allowed != 4 {
		t.Errorf("customer read %+v", c)
	}
	if c := u.Modes[plan][1]; c.Refused != 1 || c.Allowed != 0 {
		t.Errorf("plan write %+v", c)
	}
	if got := u.Suggest().String(); got != "customer=read,invoice=write" {
		t.Errorf("suggestion %q", got)
	}
	readOnly, _ := model.ParsePermissions("customer=read,invoice=read")
	if refused, total := u.DryRun(readOnly); total != 2 || len(refused) != 1 {
		t.Errorf("dry run refuses %d: %+v", total, refused)
	}
}
