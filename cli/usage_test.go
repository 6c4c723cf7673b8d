package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestKeysUsageSuggestAndDryRun(t *testing.T) {
	h := newHarness(t)
	k := h.createJSON("--name", "app")
	customer, _ := model.LookupResource("customer")
	invoice, _ := model.LookupResource("invoice")
	u := model.UsageHour{KeyID: k.ID, Hour: t0.Truncate(time.Hour)}
	for range 3 {
		u.Count(customer, model.Read, true, true)
	}
	u.Count(invoice, model.Write, true, true)
	u.Count(invoice, model.Read, true, false)
	if err := h.store.RecordUsage([]model.UsageHour{u}); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Hour)
	out := h.ok("keys", "usage", k.ID)
	for _, want := range []string{"5 requests, 4 allowed, 1 refused", "customer", "invoice"} {
		if !strings.Contains(out, want) {
			t.Errorf("usage lacks %q:\n%s", want, out)
		}
	}
	var j usageJSON
	if err := json.Unmarshal([]byte(h.ok("keys", "usage", k.ID, "--json", "--since", "30d")), &j); err != nil || j.Allowed != 4 || len(j.Hours) != 1 || len(j.Resources) != 3 {
		t.Fatalf("usage --json: %+v %v", j, err)
	}
	if out := h.ok("keys", "permissions", k.ID, "--suggest"); out != "customer=read,invoice=write\n" {
		t.Errorf("suggest printed %q", out)
	}
	out = h.ok("keys", "permissions", k.ID, "--dry-run", "customer=read")
	if !strings.Contains(out, "would have refused 1 of the 4 requests") || !strings.Contains(out, "invoice write: 1") {
		t.Errorf("dry run printed %q", out)
	}
	if got, _ := h.store.Get(k.ID); got.Permissions != model.AllPermissions() {
		t.Error("advice changed the permissions")
	}
	h.fails(2, "keys", "permissions", k.ID, "--dry-run", "bogus=read")
	h.fails(2, "keys", "permissions", k.ID, "--suggest", "--since", "31d")
	h.fails(2, "keys", "usage", k.ID, "--since", "soon")
}
