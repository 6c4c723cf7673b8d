package clock

import (
	"testing"
	"time"
)

func TestEarliestTakesTheZeroTimeAsNone(t *testing.T) {
	a := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := a.Add(time.Hour)
	for _, tt := range []struct{ x, y, want time.Time }{
		{a, b, a}, {b, a, a}, {time.Time{}, b, b}, {a, time.Time{}, a}, {time.Time{}, time.Time{}, time.Time{}},
	} {
		if got := Earliest(tt.x, tt.y); !got.Equal(tt.want) {
			t.Errorf("Earliest(%v, %v) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}
