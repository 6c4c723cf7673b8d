package storage

import (
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// /auth's flushes and the reminder pass cut their transactions to the
// backend's limits (etcd: 128 operations), each flush in as many
// transactions as it takes and no record lost.
func TestFlushesAndRemindersFitTheBackendsLimits(t *testing.T) {
	s, clk := openTest(t)
	addAdmins(t, s, "ada@example.com")
	keys := importN(t, s, 300, clk.Now().Add(30*model.Day))
	withReminders(s)
	l := &limited{Backend: s.kv, limits: kv.Limits{Ops: 128, Bytes: 1 << 20}}
	s.kv = l

	used := map[string]time.Time{}
	var hours []model.UsageHour
	for _, k := range keys {
		used[k.ID] = clk.Now()
		hours = append(hours, model.UsageHour{KeyID: k.ID, Hour: clk.Now().Truncate(time.Hour), Allowed: 2})
	}
	must(t, s.RecordUsage(hours))
	must(t, s.RecordLastUsed(used))
	clk.Advance(23 * model.Day)
	if _, err := s.ApplyDue(clk.Now()); err != nil {
		t.Fatal(err)
	}
	if !l.limits.Fits(l.largest) || l.commits < 6 {
		t.Fatalf("largest transaction %+v in %d commits, limits %+v", l.largest, l.commits, l.limits)
	}
	for _, k := range []model.Key{keys[0], keys[299]} {
		got, u, err := s.Usage(k.ID, clk.Now().Add(-30*model.Day))
		if err != nil || u.Allowed != 2 || got.LastUsedAt.IsZero() || got.Reminded != 7*model.Day {
			t.Fatalf("key %s: usage %d, last used %v, reminded %v (%v)", k.Name, u.Allowed, got.LastUsedAt, got.Reminded, err)
		}
	}
	mails := mailsOfKind(t, s, model.NotifyReminder)
	if len(mails) != 1 || mails[0].Count != 300 {
		t.Fatalf("reminder mails %+v, want one for 300 keys", mails)
	}
}
