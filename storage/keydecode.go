package storage

import (
	"bytes"
	"encoding/base64"
	"math"
	"unsafe"

	"github.com/keyrack/keyrack/model"
)

// scan reads the JSON object keyRecord.MarshalJSON writes, field by field,
// without reflection: loading a million keys at start is mostly this.
// It returns false for anything it does not expect (an escaped string, an
// unknown field, another layout), and the caller then decodes with
// encoding/json, so the stored format stays plain JSON. The sealed secret
// is decoded only when sealed is set (the caches never need it). With a
// memo (a load), the strings many keys have alike are shared, and the
// others and the hash alias b and the memo: the caller copies what it
// keeps before b changes or the memo reads the next record.
func (w *wireKey) scan(b []byte, sealed bool, memo *decodeMemo) bool {
	p := jsonScanner{b: b, memo: memo}
	if !p.skip('{') {
		return false
	}
	if p.skip('}') {
		return p.done()
	}
	for {
		name, ok := p.rawString()
		if !ok || !p.skip(':') {
			return false
		}
		switch string(name) {
		case "id":
			w.ID, ok = p.text()
		case "name":
			w.Name, ok = p.text()
		case "last4":
			w.Last4, ok = p.text()
		case "perms":
			w.Perms, ok = p.shared()
		case "by":
			w.CreatedBy, ok = p.shared()
		case "from":
			w.RotatedFrom, ok = p.text()
		case "to":
			w.ReplacedBy, ok = p.text()
		case "proot":
			w.PlaceRoot, ok = p.text()
		case "created":
			w.CreatedAt, ok = p.int()
		case "used":
			w.LastUsedAt, ok = p.int()
		case "expires":
			w.ExpiresAt, ok = p.int()
		case "pat":
			w.PlaceAt, ok = p.int()
		case "eset":
			w.ExpirySetAt, ok = p.int()
		case "idle":
			w.IdleRetire, ok = p.int()
		case "rem":
			w.Reminded, ok = p.int()
		case "pgen":
			var n int64
			n, ok = p.int()
			w.PlaceGen, ok = uint32(n), ok && n >= 0 && n <= 1<<32-1
		case "off":
			w.Disabled, ok = p.bool()
		case "hash":
			var scratch []byte
			if memo != nil {
				scratch = memo.hash[:]
			}
			w.Hash, ok = p.base64(scratch)
		case "sealed":
			if sealed {
				w.Sealed, ok = p.base64(nil)
			} else {
				_, ok = p.rawString()
			}
		default:
			return false
		}
		if !ok {
			return false
		}
		if !p.skip(',') {
			return p.skip('}') && p.done()
		}
	}
}

// jsonScanner reads the compact JSON encoding/json writes: no spaces.
type jsonScanner struct {
	b    []byte
	i    int
	memo *decodeMemo // nil: every string is a copy
}

func (p *jsonScanner) skip(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *jsonScanner) done() bool { return p.i == len(p.b) }

// rawString returns a string's bytes; false when it holds an escape or a
// control character (left to encoding/json).
func (p *jsonScanner) rawString() ([]byte, bool) {
	if !p.skip('"') {
		return nil, false
	}
	end := bytes.IndexByte(p.b[p.i:], '"')
	if end < 0 {
		return nil, false
	}
	s := p.b[p.i : p.i+end]
	for _, c := range s {
		if c == '\\' || c < 0x20 {
			return nil, false
		}
	}
	p.i += end + 1
	return s, true
}

// text reads a string: a copy, or with a memo one that aliases b.
func (p *jsonScanner) text() (string, bool) {
	s, ok := p.rawString()
	if p.memo == nil || len(s) == 0 {
		return string(s), ok
	}
	return unsafe.String(&s[0], len(s)), ok
}

// shared reads a string through the memo: one copy of each distinct value.
func (p *jsonScanner) shared() (string, bool) {
	memo := p.memo
	s, ok := p.rawString()
	if !ok || memo == nil {
		return string(s), ok
	}
	if v, seen := memo.strings[string(s)]; seen {
		return v, true
	}
	v := string(s)
	if len(memo.strings) < maxMemo {
		memo.strings[v] = v
	}
	return v, true
}

// maxMemo bounds what one decodeMemo remembers.
const maxMemo = 4096

// decodeMemo serves one goroutine that decodes many key records (a load):
// most keys share their creator and their permissions, so each distinct
// value is allocated, and each set of permissions checked, once; the
// entries' texts come from its arena, and a record's hash is decoded into
// it, not allocated.
type decodeMemo struct {
	strings map[string]string
	perms   map[string]model.Permissions
	arena   textArena
	hash    [48]byte
}

func newDecodeMemo() *decodeMemo {
	return &decodeMemo{strings: map[string]string{}, perms: map[string]model.Permissions{}}
}

// permissions parses and checks the stored digits, once per distinct value.
func (memo *decodeMemo) permissions(id, digits string) (model.Permissions, error) {
	if memo != nil {
		if p, ok := memo.perms[digits]; ok {
			return p, nil
		}
	}
	p, err := parsePerms(id, digits)
	if err == nil && memo != nil && len(memo.perms) < maxMemo {
		memo.perms[digits] = p
	}
	return p, err
}

// base64 decodes a string into scratch when it fits, else into new bytes.
func (p *jsonScanner) base64(scratch []byte) ([]byte, bool) {
	s, ok := p.rawString()
	if !ok {
		return nil, false
	}
	out := scratch
	if n := base64.StdEncoding.DecodedLen(len(s)); n > len(scratch) {
		out = make([]byte, n)
	}
	n, err := base64.StdEncoding.Decode(out, s)
	return out[:n], err == nil
}

// int reads an integer of at most 19 digits that fits an int64.
func (p *jsonScanner) int() (int64, bool) {
	neg := p.skip('-')
	start := p.i
	var n uint64
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' && p.i-start < 19 {
		n = n*10 + uint64(p.b[p.i]-'0')
		p.i++
	}
	if p.i == start || n > math.MaxInt64 || (p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9') {
		return 0, false
	}
	if neg {
		return -int64(n), true
	}
	return int64(n), true
}

func (p *jsonScanner) bool() (bool, bool) {
	switch {
	case bytes.HasPrefix(p.b[p.i:], []byte("true")):
		p.i += 4
		return true, true
	case bytes.HasPrefix(p.b[p.i:], []byte("false")):
		p.i += 5
		return false, true
	}
	return false, false
}
