package keyimport

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

const lagoUUID = "3f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2b"

func TestLagoExportIsDetectedAndKeepsTokensTimesAndPermissions(t *testing.T) {
	in := `{"id":"x","value":"` + lagoUUID + `","name":"prod","permissions":{"invoice":["read"],"customer":["read","write"]},"created_at":"2024-05-01 10:00:00.123456","last_used_at":"2025-01-02T03:04:05Z","expires_at":null}

{"value":"0f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2b","name":null}
`
	keys, err := readAll(in, Detect)
	if err != nil || len(keys) != 2 {
		t.Fatalf("read %d keys, %v", len(keys), err)
	}
	k := keys[0]
	inv, _ := model.LookupResource("invoice")
	cus, _ := model.LookupResource("customer")
	if k.Token.Reveal() != lagoUUID || k.Name != "prod" || k.Permissions[inv] != model.Read || k.Permissions[cus] != model.Read|model.Write {
		t.Fatalf("key %+v", k)
	}
	if !k.CreatedAt.Equal(time.Date(2024, 5, 1, 10, 0, 0, 123456000, time.UTC)) || !k.LastUsedAt.Equal(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)) || !k.ExpiresAt.IsZero() {
		t.Fatalf("times %v %v %v", k.CreatedAt, k.LastUsedAt, k.ExpiresAt)
	}
	if keys[1].Line != 3 || keys[1].Permissions != model.AllPermissions() {
		t.Fatalf("second key %+v", keys[1])
	}
}

func TestKeyrackLinesMayCarryATokenOrNot(t *testing.T) {
	tok, _ := model.GenerateToken(strings.NewReader(strings.Repeat("x", 200)))
	in := `{"name":"a","permissions":{}}` + "\n" + `{"name":"b","token":"` + tok.Reveal() + `"}`
	keys, err := readAll(in, Detect)
	if err != nil || len(keys) != 2 {
		t.Fatalf("read %d keys, %v", len(keys), err)
	}
	if !keys[0].Token.IsZero() || keys[0].Permissions != (model.Permissions{}) || keys[1].Token.Reveal() != tok.Reveal() {
		t.Fatalf("keys %+v", keys)
	}
}

func TestEachKindOfBadLineIsRefusedWithItsNumberAndNoToken(t *testing.T) {
	good := `{"value":"` + lagoUUID + `","name":"ok"}` + "\n"
	for name, c := range map[string]struct{ line, want string }{
		"not JSON":         {`{"value":"` + lagoUUID + `",`, "line 2: not a JSON object"},
		"unknown resource": {`{"value":"1f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2b","permissions":{"spaceship":["read"]}}`, "line 2: permissions: unknown resource"},
		"unknown mode":     {`{"value":"1f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2b","permissions":{"invoice":["delete"]}}`, "line 2: permissions:"},
		"not a UUID":       {`{"value":"kr_` + lagoUUID + `"}`, "line 2: value is not a Lago token"},
		"no value":         {`{"name":"x"}`, "line 2: no value"},
		"bad time":         {`{"value":"1f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2b","created_at":"yesterday"}`, "line 2: created_at: not a time"},
		"wrong type":       {`{"value":12}`, "line 2: field value: want string"},
	} {
		_, err := readAll(good+c.line, Detect)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), lagoUUID) || strings.Contains(err.Error(), "1f1c2a9e") {
			t.Errorf("%s: the error repeats a token: %v", name, err)
		}
	}
	if _, err := readAll(`{"name":"a","token":"kr_nope"}`, Keyrack); err == nil || !strings.Contains(err.Error(), "line 1: token is not a valid keyrack token") {
		t.Errorf("bad keyrack token: %v", err)
	}
	if _, err := readAll(good, "csv"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestAFileOfManyBlocksKeepsItsOrderAndLineNumbers(t *testing.T) {
	var in strings.Builder
	lines := 3*blockLines + 10
	for i := 1; i <= lines; i++ {
		if i%1000 == 0 {
			in.WriteString("\n") // a blank line counts as a line
			continue
		}
		fmt.Fprintf(&in, `{"value":"%08x-6b7d-4e21-9a0b-5c8d7e6f1a2b","name":"k%d"}`+"\n", i, i)
	}
	keys, err := readAll(in.String(), Detect)
	if err != nil || len(keys) != lines-lines/1000 {
		t.Fatalf("read = %d keys, %v", len(keys), err)
	}
	for _, k := range keys {
		if k.Name != fmt.Sprintf("k%d", k.Line) || !strings.HasPrefix(k.Token.Reveal(), fmt.Sprintf("%08x", k.Line)) {
			t.Fatalf("line %d holds %q", k.Line, k.Name)
		}
	}
	for i := 1; i < len(keys); i++ {
		if keys[i].Line <= keys[i-1].Line {
			t.Fatalf("line %d after line %d", keys[i].Line, keys[i-1].Line)
		}
	}
}

func TestTheFirstBadLineIsNamedWhicheverBlockIsParsedFirst(t *testing.T) {
	var in strings.Builder
	for i := 1; i <= 4*blockLines; i++ {
		switch i {
		case blockLines + 7:
			in.WriteString(`{"value":"nope"}` + "\n")
		case 3*blockLines + 1:
			in.WriteString("{\n")
		default:
			fmt.Fprintf(&in, `{"value":"%08x-6b7d-4e21-9a0b-5c8d7e6f1a2b"}`+"\n", i)
		}
	}
	_, err := readAll(in.String(), Detect)
	if want := fmt.Sprintf("line %d: value is not a Lago token (a UUID)", blockLines+7); err == nil || err.Error() != want {
		t.Fatalf("read: %v, want %q", err, want)
	}
}

// readAll reads every block of in, as an import's check does.
func readAll(in string, format Format) ([]storage.NewKey, error) {
	rd, err := NewReader(strings.NewReader(in), format)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	var keys []storage.NewKey
	for {
		block, err := rd.Next()
		if err == io.EOF {
			return keys, nil
		}
		if err != nil {
			return nil, err
		}
		keys = append(keys, block...)
	}
}

// The reader hands each block over as soon as its lines are read: an
// import over SSH checks the first keys while the rest are still on the
// way, and nothing needs the whole file at once. Here each block's lines
// are sent only after the block before them came out of Next; a reader
// that waited for the end of its input would wait forever.
func TestTheReaderHandsOverEachBlockBeforeTheInputEnds(t *testing.T) {
	in, out := io.Pipe()
	rd, err := NewReader(in, Detect)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	sendBlock := func(b int) {
		var lines strings.Builder
		for i := range blockLines {
			fmt.Fprintf(&lines, `{"value":"%08x-6b7d-4e21-9a0b-5c8d7e6f1a2b","name":"b%d"}`+"\n", b*blockLines+i, b)
		}
		go out.Write([]byte(lines.String()))
	}
	for b := range 3 {
		sendBlock(b)
		got := make(chan []storage.NewKey)
		go func() {
			keys, err := rd.Next()
			if err != nil {
				t.Error(err)
			}
			got <- keys
		}()
		select {
		case keys := <-got:
			if len(keys) != blockLines || keys[0].Name != fmt.Sprintf("b%d", b) || keys[0].Line != b*blockLines+1 {
				t.Fatalf("block %d: %d keys, the first %q on line %d", b, len(keys), keys[0].Name, keys[0].Line)
			}
		case <-time.After(time.Minute):
			t.Fatalf("block %d did not come out before the input ended", b)
		}
	}
	out.Close()
	if _, err := rd.Next(); err != io.EOF {
		t.Fatalf("after the last block: %v, want io.EOF", err)
	}
}
