package model

import "testing"

func TestCountUsesPluralRulesAndThousandsSeparators(t *testing.T) {
	tests := []struct {
		n                int
		singular, plural string
		want             string
	}{
		{0, "key", "", "0 keys"},
		{1, "key", "", "1 key"},
		{2, "entry", "entries", "2 entries"},
		{999, "key", "", "999 keys"},
		{1000, "key", "", "1,000 keys"},
		{10001, "key", "", "10,001 keys"},
		{1234567, "mail", "mails", "1,234,567 mails"},
		{-1234, "key", "", "-1,234 keys"},
	}
	for _, tt := range tests {
		if got := Count(tt.n, tt.singular, tt.plural); got != tt.want {
			t.Errorf("Count(%d, %q) = %q, want %q", tt.n, tt.singular, got, tt.want)
		}
	}
}

func TestActionWordsSayWhatHappened(t *testing.T) {
	for action, want := range map[string]string{
		ActionMemberSSHKey: "SSH key added",
		ActionMemberKeyDel: "SSH key removed",
		ActionDisable:      "key disabled",
		"future_thing":     "future thing", // written by a newer version
	} {
		if got := ActionWords(action); got != want {
			t.Errorf("ActionWords(%q) = %q, want %q", action, got, want)
		}
	}
}
