package storage

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

// sampleRecords are a key record with every field set (a rotation's new
// key, disabled, with a name encoding/json escapes), a plain one and a
// plain one imported from Lago.
func sampleRecords() []keyRecord {
	at := time.Date(2026, 12, 2, 21, 0, 0, 123, time.UTC)
	full := keyRecord{
		Key: model.Key{ID: "abc123def456", Name: "Prod <billing> & \"co\" \\ é", Last4: "wxyz",
			Permissions: model.AllPermissions(), CreatedAt: at, CreatedBy: "ada@example.com",
			LastUsedAt: at.Add(time.Hour), ExpiresAt: at.Add(48 * time.Hour), RotatedFrom: "zzz999zzz999",
			ReplacedBy: "yyy888yyy888", Disabled: true, ExpirySetAt: at, IdleRetire: 15 * time.Minute, Reminded: time.Hour,
			LagoToken: true},
		Hash: make([]byte, 32), Sealed: []byte("sealed secret bytes"),
		Place: place{At: at.UnixNano() - 5, Root: "zzz999zzz999", Gen: 3},
	}
	plain := keyRecord{Key: model.Key{ID: "000000000001", Name: "plain", Last4: "abcd", CreatedAt: at, CreatedBy: "bench"},
		Hash: []byte{1, 2, 3}, Sealed: []byte{4}}
	plain.Place = ownPlace(plain.ID, at.UnixNano())
	lago := plain // imported from Lago: read without reflection too
	lago.ID, lago.LagoToken = "000000000002", true
	lago.Place = ownPlace(lago.ID, at.UnixNano())
	return []keyRecord{full, plain, lago}
}

// The hand-written decoder reads every record the way encoding/json does,
// and leaves what it does not expect to encoding/json.
func TestScanAgreesWithEncodingJSON(t *testing.T) {
	for _, rec := range sampleRecords() {
		data, err := json.Marshal(rec)
		must(t, err)
		var viaJSON wireKey
		must(t, json.Unmarshal(data, &viaJSON))
		var scanned wireKey
		escaped := rec.Name != "plain"
		if ok := scanned.scan(data, true, newDecodeMemo()); ok == escaped {
			t.Fatalf("scan of %q = %v; it reads only records without escapes", data, ok)
		}
		if !escaped && !reflect.DeepEqual(scanned, viaJSON) {
			t.Fatalf("scan = %+v\nencoding/json = %+v", scanned, viaJSON)
		}
		var back keyRecord
		must(t, json.Unmarshal(data, &back))
		if !reflect.DeepEqual(back, rec) {
			t.Fatalf("round trip = %+v\nwant %+v", back, rec)
		}
	}
	for _, spaced := range []string{` { "id" : "a" , "created" : -12 , "off" : true } `, "{\"id\":\"a\",\n\t\"name\":\"é\"}\r\n"} {
		var scanned, viaJSON wireKey
		must(t, json.Unmarshal([]byte(spaced), &viaJSON))
		if !scanned.scan([]byte(spaced), true, nil) || !reflect.DeepEqual(scanned, viaJSON) {
			t.Errorf("scan of %q = %+v, encoding/json %+v", spaced, scanned, viaJSON)
		}
	}
	for _, odd := range []string{
		`{"id":"a","unknown":1}`,
		`{"id":"a","created":99999999999999999999}`,
		`{"id":"a","created":012}`,
		`{"id":"a","created":1.5}`,
		`{"id":"a","created":-}`,
		"{\"id\":\"a\",\"name\":\"\xff\"}",
		"{\"id\":\"a\",\"name\":\"tab\tin\"}",
		`{"id":"a"} x`,
	} {
		var w wireKey
		if w.scan([]byte(odd), true, nil) {
			t.Errorf("scan accepted %q", odd)
		}
	}
}

func TestDecodeEntryChecksPermissions(t *testing.T) {
	bad := []byte(`{"id":"a","last4":"abcd","perms":"9","created":1,"hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","sealed":""}`)
	if _, err := decodeEntry(new(entry), newDecodeMemo(), []byte("a"), bad); err == nil {
		t.Fatal("a record with malformed permissions decoded")
	}
}

// BenchmarkScanKeyRecord decodes a typical key record as a load does.
func BenchmarkScanKeyRecord(b *testing.B) {
	rec := sampleRecords()[1]
	rec.Name, rec.Permissions, rec.Hash, rec.Sealed = "customer key 123456", model.AllPermissions(), make([]byte, 32), make([]byte, 60)
	data, err := json.Marshal(rec)
	must(b, err)
	memo := newDecodeMemo()
	for b.Loop() {
		var w wireKey
		if !w.scan(data, false, memo) {
			b.Fatal("not decoded")
		}
	}
}
