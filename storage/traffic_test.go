package storage

import (
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// A key used for weeks has hundreds of usage hours; deleting or rotating
// it must still fit etcd's transactions.
func TestAKeyWithWeeksOfUsageCanBeDeletedAndRotated(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		used := func() model.Key {
			k, _ := mustCreate(t, s, "busy")
			hours := make([]model.UsageHour, 300)
			for i := range hours {
				hours[i] = model.UsageHour{KeyID: k.ID, Hour: clk.Now().Truncate(time.Hour).Add(-time.Duration(i) * time.Hour), Allowed: 1}
			}
			must(t, s.RecordUsage(hours))
			return k
		}
		if err := s.Delete("tester", used().ID); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, _, err := s.Rotate("tester", used().ID, 0); err != nil {
			t.Fatalf("rotate now: %v", err)
		}
		checkInvariants(t, s)
	})
}
