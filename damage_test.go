package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// damagedMessage is the one error a damaged database gives, whatever the command.
var damagedMessage = regexp.MustCompile(`^keyrack: database .+ is damaged: .+; restore it from a backup \(see README\)\n$`)

// realDatabase builds a database the way a user would: keys created,
// rotated with a grace period, deleted, a member added, so that every
// bucket and index holds something. It returns the database's bytes and
// its master key file's.
func realDatabase(t *testing.T) (db, key []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "real.db")
	for _, args := range [][]string{
		{"keys", "list", "--create"},
		{"keys", "create", "--name", "ci"},
		{"keys", "create", "--name", "billing"},
		{"keys", "create", "--name", "gone"},
		{"members", "add", "ada@example.com", "--role", "admin"},
	} {
		if r := keyrack(t, path, args...); r.code != 0 {
			t.Fatalf("%v: %s", args, r.stderr)
		}
	}
	var ids []string
	for _, line := range strings.Split(keyrack(t, path, "keys", "list").stdout, "\n")[1:] {
		if f := strings.Fields(line); len(f) > 1 {
			ids = append(ids, f[0])
		}
	}
	if len(ids) != 4 {
		t.Fatalf("keys %v, want 4", ids)
	}
	if r := keyrack(t, path, "keys", "rotate", ids[1], "--in", "24h"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := keyrack(t, path, "keys", "delete", ids[3]); r.code != 0 {
		t.Fatal(r.stderr)
	}
	db, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	key, err = os.ReadFile(path + ".key")
	if err != nil {
		t.Fatal(err)
	}
	return db, key
}

// damage returns a copy of db damaged as disks and people do: bytes
// overwritten with noise, 0xff or zeros, or the file cut short.
func damage(rng *rand.Rand, db []byte) ([]byte, string) {
	out := bytes.Clone(db)
	if rng.IntN(8) == 0 {
		size := rng.IntN(len(db))
		return out[:size], fmt.Sprintf("truncated to %d bytes", size)
	}
	at, n := rng.IntN(len(db)), 1+rng.IntN(16)
	n = min(n, len(db)-at)
	kind := []string{"noise", "0xff", "zeros"}[rng.IntN(3)]
	for i := at; i < at+n; i++ {
		switch kind {
		case "noise":
			out[i] = byte(rng.UintN(256))
		case "0xff":
			out[i] = 0xff
		case "zeros":
			out[i] = 0
		}
	}
	return out, fmt.Sprintf("%d bytes of %s at offset %d", n, kind, at)
}

// TestDamagedCopiesNeverPanicAndAreNeverWritten runs commands on copies of
// a real database damaged at random (seeded) places. Every command ends
// with 0 or 1, never a panic or a crash; a command that fails leaves the
// file exactly as it found it; damage found is said in one format.
func TestDamagedCopiesNeverPanicAndAreNeverWritten(t *testing.T) {
	db, key := realDatabase(t)
	commands := [][]string{
		{"keys", "list"}, {"keys", "create", "--name", "after"}, {"audit"}, {"mail"},
		{"members", "list"}, {"keys", "list", "--json"}, {"check"},
	}
	rng := rand.New(rand.NewPCG(20261202, 10))
	dir := t.TempDir()
	path := filepath.Join(dir, "k.db")
	damaged := 0
	for i := range 210 {
		bad, how := damage(rng, db)
		args := commands[i%len(commands)]
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path+".key", key, 0o600); err != nil {
			t.Fatal(err)
		}
		r := keyrack(t, path, args...)
		if r.code != 0 && r.code != 1 || strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") {
			t.Fatalf("case %d (%s), keyrack %s: exit %d\n%s", i, how, strings.Join(args, " "), r.code, r.stderr)
		}
		if r.code == 0 {
			continue
		}
		after, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(after, bad) {
			t.Fatalf("case %d (%s), keyrack %s failed (%s) but changed the file", i, how, strings.Join(args, " "), r.stderr)
		}
		if strings.Contains(r.stderr, "is damaged") {
			damaged++
			if !damagedMessage.MatchString(r.stderr) {
				t.Errorf("case %d (%s): damage said as %q", i, how, r.stderr)
			}
		}
	}
	if damaged < 20 {
		t.Errorf("only %d of 210 damaged copies were found damaged", damaged)
	}
}
