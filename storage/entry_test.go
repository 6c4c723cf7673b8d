package storage

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
)

// A cache entry gives back exactly the key its record holds, whether its
// text comes from a load's arena or is its own, and whether its place is
// its own or its rotation family's.
func TestEntryGivesBackTheRecordsKey(t *testing.T) {
	for _, rec := range sampleRecords() {
		rec.Hash = []byte(strings.Repeat("h", 32)) // the plain one's is too short to authenticate
		for _, memo := range []*decodeMemo{nil, newDecodeMemo()} {
			data, err := json.Marshal(rec)
			must(t, err)
			var e entry
			ok, err := decodeEntry(&e, memo, []byte(rec.ID), data)
			if !ok || err != nil {
				t.Fatalf("decodeEntry = %v, %v", ok, err)
			}
			for i := range data { // as bbolt's page is, once the load moves on
				data[i] = 'X'
			}
			if got := e.key(); !reflect.DeepEqual(got, rec.Key) {
				t.Errorf("key = %+v\nwant %+v", got, rec.Key)
			}
			if e.place() != rec.Place || e.hash != [32]byte(rec.Hash) {
				t.Errorf("place %+v hash %x, want %+v %x", e.place(), e.hash, rec.Place, rec.Hash)
			}
			if e.id() != entryByID(rec.ID).id() || lessByID(&e, entryByID(rec.ID)) || lessByID(entryByID(rec.ID), &e) {
				t.Errorf("id %q does not find itself", e.id())
			}
		}
	}
}

// The order of entries is the order of their places: time, then family,
// then generation.
func TestEntriesSortByPlace(t *testing.T) {
	mk := func(id string, pl place) *entry {
		e, _ := newEntry(&model.Key{ID: id}, [32]byte{}, pl, nil)
		return &e
	}
	sorted := []*entry{
		mk("b00000000000", place{At: 1, Root: "b00000000000"}),
		mk("a00000000000", place{At: 2, Root: "a00000000000"}),
		mk("c00000000000", place{At: 2, Root: "a00000000000", Gen: 1}),
		mk("b00000000001", place{At: 2, Root: "b00000000001"}),
	}
	for i := range sorted {
		for j := range sorted {
			if got, want := lessByPlace(sorted[i], sorted[j]), comparePlaces(sorted[i].place(), sorted[j].place()) < 0; got != want || got != (i < j) {
				t.Errorf("lessByPlace(%d, %d) = %v", i, j, got)
			}
		}
	}
}

// A record whose strings an entry cannot hold is damage, not a key.
func TestDecodeEntryRefusesOversizedText(t *testing.T) {
	rec := keyRecord{Key: model.Key{ID: "000000000001", Name: strings.Repeat("n", maxEntryText), CreatedAt: t0},
		Hash: make([]byte, 32)}
	data, err := json.Marshal(rec)
	must(t, err)
	if ok, err := decodeEntry(new(entry), newDecodeMemo(), []byte(rec.ID), data); ok || err == nil {
		t.Fatalf("decodeEntry = %v, %v; want a corrupt record", ok, err)
	}
}
