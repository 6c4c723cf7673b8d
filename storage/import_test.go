package storage

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/keyrack/keyrack/model"
)

// A bulk creation's ids, kept as numbers, are the ids drawn, in order.
func TestAscendingIDsAreTheDrawnIDsSorted(t *testing.T) {
	seed := [32]byte{'i', 'd', 's'}
	s := &Store{core: &core{rand: rand.NewChaCha8(seed)}}
	ids, err := s.ascendingIDs(5000)
	must(t, err)
	drawn := rand.NewChaCha8(seed)
	want := make([]string, ids.len())
	for i := range want {
		if want[i], err = model.NewKeyID(drawn); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(want)
	for i, id := range want {
		if got := ids.at(i); got != id {
			t.Fatalf("id %d is %q, want %q", i, got, id)
		}
	}
}

// An import stores the keys that come with a token group by group of
// their token's hash (one group after the other, each in the input's
// order), then those without one in the input's order, their tokens drawn
// and reported as drawn: every key is stored once, under its token.
func TestAnImportStoresItsKeysGroupByGroupInTheInputsOrder(t *testing.T) {
	s, _ := openTest(t)
	const n = 3000
	lines := make([]NewKey, n)
	for i := range lines {
		lines[i] = spoolLine(i) // every fifth without a token
	}
	var stored []Imported
	res, err := s.Import("tester", InOneBlock(lines), func(made []Imported) { stored = append(stored, made...) })
	must(t, err)
	if res.Imported != n || len(stored) != n {
		t.Fatalf("imported %d, reported %d; want %d", res.Imported, len(stored), n)
	}
	line := map[string]int{} // key name → its line
	for i, nk := range lines {
		line[nk.Name] = i + 1
	}
	group := func(i int) int { // the group stored[i] was stored in
		if stored[i].Generated {
			return spoolGroups
		}
		return tokenGroup(stored[i].Token)
	}
	groups, lastLine := 0, 0
	for i, m := range stored {
		at := line[m.Key.Name]
		delete(line, m.Key.Name)
		if want := lines[at-1].Token.IsZero(); m.Generated != want {
			t.Fatalf("line %d: Generated = %v, want %v", at, m.Generated, want)
		}
		if i > 0 && group(i) < group(i-1) {
			t.Fatalf("key %d (line %d) is in group %d, after a key of group %d", i, at, group(i), group(i-1))
		}
		if i == 0 || group(i) != group(i-1) {
			groups, lastLine = groups+1, 0
		}
		if at <= lastLine {
			t.Fatalf("line %d stored after line %d of the same group", at, lastLine)
		}
		lastLine = at
		if !m.Generated && m.Token.Reveal() != lines[at-1].Token.Reveal() {
			t.Fatalf("line %d stored under another token", at)
		}
		if k, err := s.Authenticate(m.Token, t0); err != nil || k.ID != m.Key.ID {
			t.Fatalf("line %d's token authenticates %q, %v; want %q", at, k.ID, err, m.Key.ID)
		}
	}
	if len(line) != 0 || groups != spoolGroups+1 {
		t.Fatalf("%d lines not stored; %d groups, want %d", len(line), groups, spoolGroups+1)
	}
}
