package cli

import (
	"slices"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestRemindBeforeFlag(t *testing.T) {
	got, err := parseRemindBefore("7d,1d,1h,1d")
	if err != nil || !slices.Equal(got, []time.Duration{7 * model.Day, model.Day, time.Hour}) {
		t.Fatalf("7d,1d,1h,1d = %v, %v", got, err)
	}
	if got, err := parseRemindBefore("none"); err != nil || got != nil {
		t.Fatalf("none = %v, %v", got, err)
	}
	for _, bad := range []string{"", "7d,,1h", "31d", "30s", "soon", "kr_" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		if _, err := parseRemindBefore(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
