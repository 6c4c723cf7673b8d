package scheduler

import (
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

func TestSchedulerWakesForAnIdleDeadline(t *testing.T) {
	fake := &recordingClock{Fake: clock.NewFake(t0)}
	st := openStore(t, dbPath(t), fake)
	old := createKey(t, st, "ci")
	start(t, st, fake)
	if _, _, err := st.RotateUntilIdle("tester", old.ID, 15*time.Minute, 7*model.Day); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the scheduler armed its timer for the idle deadline", func() bool {
		d, ok := fake.lastArmed()
		return ok && d == 15*time.Minute && fake.Waiters() > 0
	})
	fake.Advance(15 * time.Minute)
	waitFor(t, "the quiet old key retired", gone(t, st, old))
}
