package mail

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestBulkMailCountsTheKeysAndListsTheFirstFifty(t *testing.T) {
	n := model.Notification{ID: "0000000000000001.abc", Kind: model.NotifyExpired, Organization: "Acme",
		Actor: "scheduler", At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Count: 12000}
	for i := 0; i < model.BulkListed; i++ {
		n.Keys = append(n.Keys, model.NotifiedKey{ID: fmt.Sprintf("id%d", i), Name: fmt.Sprintf("key %d", i), Masked: model.Mask(fmt.Sprintf("%04d", i))})
	}
	m := Render(n)
	if m.Subject != "[Acme] 12,000 API keys expired" {
		t.Errorf("subject %q", m.Subject)
	}
	for _, part := range []string{m.Text, m.HTML} {
		for _, want := range []string{"12,000 API keys of Acme have expired", "key 0", "kr_••••••••0049", "… and 11,950 more"} {
			if !strings.Contains(part, want) {
				t.Errorf("part does not say %q:\n%s", want, part)
			}
		}
	}
}

func TestThousandsGroupsDigits(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1000000: "1,000,000", 123456: "123,456"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
