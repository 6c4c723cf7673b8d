package keyimport

import (
	"encoding/json"
	"reflect"
	"testing"
)

const uuid = `"3f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2b"`

// usualLines are lines the fast path must decode, as encoding/json does.
var usualLines = []string{
	`{"id":"7ce4","organization_id":"0b3f","value":` + uuid + `,"name":"customer key 0","permissions":{"customer":["read","write"],"invoice":["read"]},"created_at":"2023-01-01 00:00:00.000000","last_used_at":"2023-01-01T01:00:00Z","expires_at":null}`,
	` { "value" : ` + uuid + ` , "name" : "ünïcode ✓" , "permissions" : { } } `,
	`{"value":` + uuid + `,"permissions":null,"extra":true,"more":false,"none":null}`,
	`{"name":"a","permissions":{"invoice":[]}}`,
	`{}`,
}

// unusualLines are lines the fast path must leave to encoding/json:
// encoding/json refuses them, or decodes them in a way the fast path
// does not follow.
var unusualLines = []string{
	`{"value":"a\"b"}`, `{"Value":` + uuid + `}`, `{"VALUE":"x"}`, `{"value":1}`, `{"n":12}`, `{"n":{"x":1}}`,
	`{"value":"x","value":"y"}`, `{"permissions":{"invoice":["read"],"invoice":["write"]}}`,
	`{"permissions":{"spaceship":["read"]}}`, `{"permissions":{"invoice":["delete"]}}`,
	`{"permissions":{"invoice":["read"],}}`, `{"permissions":{"invoice":["read",]}}`, `{"permissions":{"invoice":null}}`,
	`{"permissions":[]}`, `{"name":"a",}`, `{"name":"a"} x`, `{"name":"a"`, `{"name":"tab	in"}`,
	"{\"name\":\"\xff\"}", `{"valu\u0065":"x"}`, `{"name":nul}`, `[]`, ``,
	// An other field's string that does not scan is not followed by a value.
	`{"other":"a	null,"name":"x"}`, "{\"other\":\"\xff\"null,\"name\":\"x\"}", `{"other":"a\"true,"name":"x"}`,
}

func TestTheFastDecodingAgreesWithEncodingJSONOrStandsAside(t *testing.T) {
	for _, text := range usualLines {
		var fast line
		if !scanLine([]byte(text), &fast) {
			t.Errorf("%s: not decoded without reflection", text)
			continue
		}
		var slow line
		if err := json.Unmarshal([]byte(text), &slow); err != nil || !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: %s, encoding/json %s (%v)", text, shown(fast), shown(slow), err)
		}
	}
	for _, text := range unusualLines {
		var fast line
		if scanLine([]byte(text), &fast) {
			var slow line
			err := json.Unmarshal([]byte(text), &slow)
			t.Errorf("%s: decoded without reflection as %s; encoding/json: %s, %v", text, shown(fast), shown(slow), err)
		}
	}
}

// FuzzScanLine checks that a line the fast path decodes is decoded alike
// by encoding/json. The seeds run with the other tests; to search further,
// go test -run '^$' -fuzz FuzzScanLine -fuzztime 1m ./keyimport.
func FuzzScanLine(f *testing.F) {
	for _, text := range append(usualLines, unusualLines...) {
		f.Add([]byte(text))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		var fast line
		if !scanLine(text, &fast) {
			return
		}
		var slow line
		if err := json.Unmarshal(text, &slow); err != nil || !reflect.DeepEqual(fast, slow) {
			t.Errorf("%q: decoded without reflection as %s; encoding/json: %s, %v", text, shown(fast), shown(slow), err)
		}
	})
}

// shown is l in JSON, its fields' values rather than their addresses.
func shown(l line) string {
	b, _ := json.Marshal(l)
	return string(b)
}

// BenchmarkScanLine decodes a line of a Lago export, the usual shape.
func BenchmarkScanLine(b *testing.B) {
	text := []byte(usualLines[0])
	for b.Loop() {
		var l line
		if !scanLine(text, &l) {
			b.Fatal("not decoded")
		}
	}
}
