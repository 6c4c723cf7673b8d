package storage

import (
	"testing"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// A permission change changes what a key can do: the admins get one mail
// naming the permissions before and after; setting the same ones mails
// nobody.
func TestPermissionChangeIsMailed(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		addAdmins(t, s, "ops@example.com")
		k, _ := mustCreate(t, s, "ci")
		narrow, err := model.ParsePermissions("customer=read,invoice=read+write")
		must(t, err)
		if _, err := s.SetPermissions("tester", k.ID, narrow); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetPermissions("tester", k.ID, narrow); err != nil {
			t.Fatal(err)
		}
		wantMailKinds(t, s, model.NotifyPermissions)
		out, err := s.Outbox(1)
		must(t, err)
		if n := out[0]; n.PermissionsBefore != "all" || n.PermissionsAfter != "customer=read,invoice=read+write" || n.KeyID != k.ID {
			t.Fatalf("mail %+v, want before all, after the spec, about %s", n, k.ID)
		}
		checkInvariants(t, s)
	})
}
