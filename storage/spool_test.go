package storage

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/keyrack/keyrack/model"
)

// spoolLine is key i of the tests' imports: a Lago token, a name and
// times that can be told from every other key's.
func spoolLine(i int) NewKey {
	tok, _ := model.ParseLagoToken(fmt.Sprintf("%08x-6b7d-4e21-9a0b-5c8d7e6f1a2b", i))
	var perms model.Permissions
	perms[i%model.ResourceCount] = model.Read
	k := NewKey{Line: i + 1, Name: fmt.Sprintf("spooled key %d", i), Permissions: perms, Token: tok,
		CreatedAt: t0.Add(-time.Duration(i)*time.Hour - time.Duration(i)), LastUsedAt: t0.Add(-time.Minute)}
	if i%3 == 0 {
		k.ExpiresAt = t0.Add(48 * time.Hour)
	}
	if i%5 == 0 {
		k.Token, k.LastUsedAt = model.Token{}, time.Time{}
	}
	return k
}

func TestASpoolHasNoNameAndHoldsNoTokenOrNameInTheClear(t *testing.T) {
	dir := t.TempDir()
	sp, err := newSpool(dir, rand.Reader)
	must(t, err)
	defer sp.close()
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("the spool has a name in %s: %s", dir, left[0].Name())
	}
	if fi, err := sp.f.Stat(); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("spool mode %v, %v; want 0600", fi.Mode(), err)
	}
	const n = 3*spoolBlock + 17
	for i := range n {
		must(t, sp.add(spoolLine(i)))
	}
	must(t, sp.rewind())
	raw := make([]byte, 1<<20)
	size, err := sp.f.ReadAt(raw, 0)
	if err != nil && err != io.EOF {
		t.Fatal(err)
	}
	raw = raw[:size]
	if size < n*36 {
		t.Fatalf("the spool holds %d bytes for %d keys", size, n)
	}
	for i := range n {
		k := spoolLine(i)
		for _, clear := range []string{k.Token.Reveal(), k.Name} {
			if clear != "" && bytes.Contains(raw, []byte(clear)) {
				t.Fatalf("the spool holds %q in the clear", clear)
			}
		}
	}
	for i := range n {
		got, err := sp.next()
		must(t, err)
		want := spoolLine(i)
		if got.Line != want.Line || got.Name != want.Name || got.Permissions != want.Permissions ||
			got.Token.Reveal() != want.Token.Reveal() || !got.CreatedAt.Equal(want.CreatedAt) ||
			!got.LastUsedAt.Equal(want.LastUsedAt) || !got.ExpiresAt.Equal(want.ExpiresAt) {
			t.Fatalf("key %d came back as %+v (token %t), want %+v", i, got, got.Token.Reveal() == want.Token.Reveal(), want)
		}
	}
	if _, err := sp.next(); err != io.EOF {
		t.Fatalf("after the last key: %v, want io.EOF", err)
	}
	// Another spool's key (another process's, or this one's after a
	// crash) does not open it.
	other, err := newSpool(dir, rand.Reader)
	must(t, err)
	defer other.close()
	other.r = bytes.NewReader(raw)
	if _, err := other.next(); err == nil || !strings.Contains(err.Error(), "does not open") {
		t.Fatalf("another key read the spool: %v", err)
	}
}

// openSpools lists this process's open spool files: unlinked, so only
// /proc/self/fd still leads to them.
func openSpools(t *testing.T) []string {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd here")
	}
	var spools []string
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.Contains(target, strings.TrimSuffix(spoolPattern, "*")) {
			spools = append(spools, filepath.Join("/proc/self/fd", fd.Name()))
		}
	}
	return spools
}

// An import spools its checked keys in files (one a group) that have no
// name from the start and hold no token in the clear; when the import is
// refused (a bad line after many good ones), nothing is stored and the
// files are closed, which frees them.
func TestARefusedImportStoresNothingAndLeavesNoSpool(t *testing.T) {
	s, _ := openTest(t)
	dir := s.spoolDir()
	const blocks, perBlock = 4, 8000 // a sealed block in every group's file by the last
	var checked []string             // the tokens spooled, as the check saw them
	block := 0
	next := func() ([]NewKey, error) {
		if block > 0 && block < blocks { // the spool now holds the blocks before
			spools := openSpools(t)
			if len(spools) != spoolGroups+1 {
				t.Fatalf("block %d: %d open spools, want %d", block, len(spools), spoolGroups+1)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, spoolPattern)); len(left) != 0 {
				t.Fatalf("the spool has a name: %v", left)
			}
			var raw []byte
			for _, sp := range spools {
				b, err := os.ReadFile(sp)
				must(t, err)
				raw = append(raw, b...)
			}
			if block == blocks-1 && len(raw) == 0 {
				t.Fatalf("nothing spooled after %d keys", len(checked))
			}
			for _, tok := range checked {
				if bytes.Contains(raw, []byte(tok)) {
					t.Fatalf("block %d: the spool holds a token in the clear", block)
				}
			}
		}
		if block == blocks {
			return nil, errors.New("line 32001: not a JSON object")
		}
		keys := make([]NewKey, perBlock)
		for i := range keys {
			keys[i] = spoolLine(block*perBlock + i)
			if !keys[i].Token.IsZero() {
				checked = append(checked, keys[i].Token.Reveal())
			}
		}
		block++
		return keys, nil
	}
	_, err := s.Import("tester", next, nil)
	if err == nil || err.Error() != "line 32001: not a JSON object" {
		t.Fatalf("Import: %v, want the bad line's error", err)
	}
	if sn, _ := s.Keys(); sn.Len() != 1 {
		t.Fatalf("a refused import stored %d keys", sn.Len()-1)
	}
	if spools := openSpools(t); len(spools) != 0 {
		t.Fatalf("the refused import left its spool open: %v", spools)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, spoolPattern)); len(left) != 0 {
		t.Fatalf("the refused import left %v", left)
	}
	if _, err := s.Import("tester", InOneBlock([]NewKey{spoolLine(1)}), nil); err != nil {
		t.Fatal(err)
	}
	if spools := openSpools(t); len(spools) != 0 {
		t.Fatalf("an import left its spool open: %v", spools)
	}
}

// An import holds none of its input's blocks once it has checked them:
// what it keeps of a key until its chunk is the token's hash and the
// sealed spool, so its memory does not grow with the input.
func TestAnImportKeepsNoBlockOfItsInput(t *testing.T) {
	s, _ := openTest(t)
	const blocks, perBlock = 6, 1500
	var held []weak.Pointer[NewKey]
	next := func() ([]NewKey, error) {
		if len(held) == blocks {
			return nil, io.EOF
		}
		keys := make([]NewKey, perBlock)
		for i := range keys {
			keys[i] = spoolLine(len(held)*perBlock + i)
		}
		held = append(held, weak.Make(&keys[0]))
		return keys, nil
	}
	chunks := 0
	res, err := s.Import("tester", next, func([]Imported) {
		if chunks++; chunks > 1 {
			return
		}
		runtime.GC()
		runtime.GC()
		for b, p := range held {
			if p.Value() != nil {
				t.Errorf("block %d of the input is still held by the first chunk", b)
			}
		}
	})
	if err != nil || res.Imported != blocks*perBlock {
		t.Fatalf("Import = %+v, %v", res, err)
	}
}
