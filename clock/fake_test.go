package clock

import (
	"testing"
	"time"
)

func TestFakeTimersFireWhenTimeReachesThem(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := NewFake(t0)
	soon, _ := f.After(time.Second)
	later, stopLater := f.After(time.Hour)
	f.Advance(999 * time.Millisecond)
	select {
	case <-soon:
		t.Fatal("fired early")
	default:
	}
	f.Advance(time.Millisecond)
	if got := <-soon; !got.Equal(t0.Add(time.Second)) {
		t.Fatalf("fired with %s", got)
	}
	stopLater()
	f.Advance(2 * time.Hour)
	select {
	case <-later:
		t.Fatal("a stopped timer fired")
	default:
	}
	if f.Waiters() != 0 {
		t.Fatalf("%d waiters left", f.Waiters())
	}
	now, _ := f.After(0)
	if got := <-now; !got.Equal(f.Now()) {
		t.Fatal("After(0) does not fire at once")
	}
}
