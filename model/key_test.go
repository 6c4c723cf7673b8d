package model

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestKeyStatusFollowsExpiresAt(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		expiresAt time.Time
		want      Status
	}{
		{"no expiry", time.Time{}, StatusActive},
		{"expires later", now.Add(time.Second), StatusExpiring},
		{"expires now", now, StatusExpired},
		{"expired earlier", now.Add(-time.Hour), StatusExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := Key{ExpiresAt: tt.expiresAt}
			if got := k.Status(now); got != tt.want {
				t.Errorf("Status = %s, want %s", got, tt.want)
			}
			if got := k.UsableAt(now); got != (tt.want != StatusExpired) {
				t.Errorf("UsableAt = %v with status %s", got, tt.want)
			}
		})
	}
}

func TestKeyMaskedAndDisplayName(t *testing.T) {
	tests := []struct {
		name, keyName, want string
	}{
		{"named", "ci", "ci"},
		{"unnamed", "", "(unnamed)"},
		{"stored escape sequence is neutralised", "ci\x1b[2J", "ci\uFFFD[2J"},
	}
	for _, tt := range tests {
		k := Key{Name: tt.keyName, Last4: "Ab12"}
		if got := k.DisplayName(); got != tt.want {
			t.Errorf("%s: DisplayName() = %q, want %q", tt.name, got, tt.want)
		}
		if got := k.Masked(); got != "kr_••••••••Ab12" {
			t.Errorf("%s: Masked() = %q", tt.name, got)
		}
	}
}

func TestNewKeyIDIsTwelveLowerCaseCharacters(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id, err := NewKeyID(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if len(id) != 12 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
			t.Fatalf("id %q is not 12 characters of [a-z0-9]", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
	if _, err := NewKeyID(bytes.NewReader(nil)); err == nil {
		t.Error("NewKeyID with an empty reader succeeded")
	}
}

func TestKeyJSONOmitsUnsetTimes(t *testing.T) {
	k := Key{ID: "abcdefghijkl", Name: "ci", Last4: "Ab12", CreatedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	for _, absent := range []string{"last_used_at", "expires_at", "rotated_from", "replaced_by"} {
		if bytes.Contains(b, []byte(absent)) {
			t.Errorf("json %s holds %s although it is unset", b, absent)
		}
	}
	var back Key
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.ID != k.ID || back.Name != k.Name || !back.CreatedAt.Equal(k.CreatedAt) || back.Permissions != k.Permissions {
		t.Errorf("round trip gave %+v, want %+v", back, k)
	}
}
