package storage

import (
	"encoding/base64"
	"unsafe"

	"github.com/keyrack/keyrack/internal/jsonscan"
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
	p := recordScanner{Scanner: jsonscan.New(b), memo: memo}
	if !p.Next('{') {
		return false
	}
	if p.Next('}') {
		return p.End()
	}
	for {
		name, ok := p.String()
		if !ok || !p.Next(':') {
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
			w.CreatedAt, ok = p.Int()
		case "used":
			w.LastUsedAt, ok = p.Int()
		case "expires":
			w.ExpiresAt, ok = p.Int()
		case "pat":
			w.PlaceAt, ok = p.Int()
		case "eset":
			w.ExpirySetAt, ok = p.Int()
		case "idle":
			w.IdleRetire, ok = p.Int()
		case "rem":
			w.Reminded, ok = p.Int()
		case "pgen":
			var n int64
			n, ok = p.Int()
			w.PlaceGen, ok = uint32(n), ok && n >= 0 && n <= 1<<32-1
		case "off":
			w.Disabled, ok = p.Bool()
		case "lago":
			w.Lago, ok = p.Bool()
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
				_, ok = p.String()
			}
		default:
			return false
		}
		if !ok {
			return false
		}
		if !p.Next(',') {
			return p.Next('}') && p.End()
		}
	}
}

// recordScanner reads a key record's tokens, with the strings of a load
// through its memo.
type recordScanner struct {
	jsonscan.Scanner
	memo *decodeMemo // nil: every string is a copy
}

// text reads a string: a copy, or with a memo one that aliases b.
func (p *recordScanner) text() (string, bool) {
	s, ok := p.String()
	if p.memo == nil || len(s) == 0 {
		return string(s), ok
	}
	return unsafe.String(&s[0], len(s)), ok
}

// shared reads a string through the memo: one copy of each distinct value.
func (p *recordScanner) shared() (string, bool) {
	memo := p.memo
	s, ok := p.String()
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
func (p *recordScanner) base64(scratch []byte) ([]byte, bool) {
	s, ok := p.String()
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
