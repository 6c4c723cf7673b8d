package keyimport

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestTheFastDecodingAgreesWithEncodingJSONOrStandsAside(t *testing.T) {
	const uuid = `"3f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2b"`
	usual := []string{
		`{"id":"7ce4","organization_id":"0b3f","value":` + uuid + `,"name":"customer key 0","permissions":{"customer":["read","write"],"invoice":["read"]},"created_at":"2023-01-01 00:00:00.000000","last_used_at":"2023-01-01T01:00:00Z","expires_at":null}`,
		` { "value" : ` + uuid + ` , "name" : "ünïcode ✓" , "permissions" : { } } `,
		`{"value":` + uuid + `,"permissions":null,"extra":true,"more":false,"none":null}`,
		`{"name":"a","permissions":{"invoice":[]}}`,
		`{}`,
	}
	for _, text := range usual {
		var fast line
		if !scanLine([]byte(text), &fast) {
			t.Errorf("%s: not decoded without reflection", text)
			continue
		}
		var slow line
		if err := json.Unmarshal([]byte(text), &slow); err != nil || !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: %+v, encoding/json %+v (%v)", text, fast, slow, err)
		}
	}
	unusual := []string{
		`{"value":"a\"b"}`, `{"Value":` + uuid + `}`, `{"VALUE":"x"}`, `{"value":1}`, `{"n":12}`, `{"n":{"x":1}}`,
		`{"value":"x","value":"y"}`, `{"permissions":{"invoice":["read"],"invoice":["write"]}}`,
		`{"permissions":{"spaceship":["read"]}}`, `{"permissions":{"invoice":["delete"]}}`,
		`{"permissions":{"invoice":["read"],}}`, `{"permissions":{"invoice":["read",]}}`, `{"permissions":{"invoice":null}}`,
		`{"permissions":[]}`, `{"name":"a",}`, `{"name":"a"} x`, `{"name":"a"`, `{"name":"tab	in"}`,
		"{\"name\":\"\xff\"}", `{"valu\u0065":"x"}`, `{"name":nul}`, `[]`, ``,
	}
	for _, text := range unusual {
		var fast line
		if scanLine([]byte(text), &fast) {
			var slow line
			err := json.Unmarshal([]byte(text), &slow)
			t.Errorf("%s: decoded without reflection as %+v; encoding/json: %+v, %v", text, fast, slow, err)
		}
	}
}
