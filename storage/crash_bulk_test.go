package storage

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

const crashBulkEnv = "KEYRACK_CRASH_BULK_DB"

// crashBulkChild imports keys that fall due quickly, rotates every key and
// applies large expiry passes until it is killed. It writes "+" after each
// operation, so the parent can wait until it has done some work.
func crashBulkChild(path string) {
	s, err := Open(path, Options{LockTimeout: 5 * time.Second})
	if err != nil {
		os.Exit(3)
	}
	os.Stdout.WriteString("ready\n")
	for i := 0; ; i++ {
		switch i % 3 {
		case 0:
			active, _, _ := s.activeIDs()
			keys := make([]NewKey, 1200+rand.IntN(600))
			for j := range keys {
				keys[j] = NewKey{Name: "bulk", Permissions: model.AllPermissions(), ExpiresAt: time.Now().Add(40 * time.Millisecond)}
				if j%3 == 0 && len(active) < 2000 {
					keys[j].ExpiresAt = time.Time{} // active: rotate --all's work
				}
				if j%2 == 0 {
					keys[j].Token, _ = model.ParseLagoToken(fmt.Sprintf("%08x-%04x-4e21-9a0b-5c8d7e6f1a2b", rand.Uint32(), rand.IntN(1<<16)))
				}
			}
			s.Import("child", InOneBlock(keys), nil)
		case 1:
			s.RotateAll("child", time.Duration(rand.IntN(2))*30*time.Millisecond, nil)
		case 2:
			time.Sleep(50 * time.Millisecond)
			s.ApplyDue(time.Now())
		}
		os.Stdout.WriteString("+")
	}
}

func TestCrashDuringBulkWorkLeavesEachKeyDoneOrUntouched(t *testing.T) {
	t.Setenv(MasterKeyEnv, "")
	path := filepath.Join(t.TempDir(), "crash.db")
	s, err := Open(path, Options{})
	must(t, err)
	addAdmins(t, s, "ada@example.com")
	s.Close()
	const kills = 20
	for i := 0; i < kills; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashBulkEnv+"="+path)
		out, err := cmd.StdoutPipe()
		must(t, err)
		must(t, cmd.Start())
		// "ready\n"; every fifth child also its first "+", so that some bulk
		// work is done however slow the machine is (under -race on a busy
		// CI machine, a first import can take longer than the delay).
		want := len("ready\n")
		if i%5 == 0 {
			want++
		}
		if _, err := io.ReadFull(out, make([]byte, want)); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child %d did not start or finish its first operation: %v", i, err)
		}
		time.Sleep(time.Duration(20+rand.IntN(250)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		opened := time.Now()
		s, err := Open(path, Options{}) // sends interrupted bulk mail, finishes the expiry pass
		if err != nil {
			t.Fatalf("after kill %d: %v", i, err)
		}
		checkInvariants(t, s)
		checkRotationPairs(t, s)
		checkMailMatchesAudit(t, s)
		// Due at the start means due at opened: a key of the child's that
		// expires a few ms later is the next pass's.
		if next, ok, err := s.NextExpiry(); err != nil || ok && !next.After(opened) {
			t.Errorf("after kill %d the next start left an expiry due: %v %v", i, next, err)
		}
		s.Close()
		if t.Failed() {
			t.Fatalf("invariants broken after kill %d", i)
		}
	}
	s, err = Open(path, Options{})
	must(t, err)
	defer s.Close()
	audit, _ := s.Audit(0)
	if n := countAction(audit, model.ActionExpire); n < 1000 {
		t.Fatalf("children did little bulk work: %d expiries in %d audit records", n, len(audit))
	}
	t.Logf("%d audit records, %d expiries, %d rotations after %d kills", len(audit), countAction(audit, model.ActionExpire),
		countAction(audit, model.ActionRotate)+countAction(audit, model.ActionScheduleRot), kills)
}

// checkRotationPairs verifies that each rotation is whole: an old key that
// names its replacement has it (or its removal is audited), and a new key
// whose predecessor remains is named by it.
func checkRotationPairs(t testing.TB, s *Store) {
	t.Helper()
	removed := map[string]bool{}
	audit, err := s.Audit(0)
	must(t, err)
	for _, e := range audit {
		if e.Action == model.ActionExpire || e.Action == model.ActionDelete || e.Action == model.ActionRotate {
			removed[e.KeyID] = true
		}
	}
	must(t, s.file.DB().View(func(tx *bolt.Tx) error {
		keys := tx.Bucket(bucketKeys)
		return keys.ForEach(func(k, v []byte) error {
			var rec keyRecord
			if err := decodeJSON(k, v, &rec); err != nil {
				return err
			}
			if rec.ReplacedBy != "" && keys.Get([]byte(rec.ReplacedBy)) == nil && !removed[rec.ReplacedBy] {
				t.Errorf("key %s names replacement %s, which is neither stored nor audited as removed", rec.ID, rec.ReplacedBy)
			}
			if rec.RotatedFrom == "" {
				return nil
			}
			var old keyRecord
			if found, err := boltRecord(keys, []byte(rec.RotatedFrom), &old); err != nil || !found {
				return err
			}
			if old.ReplacedBy != rec.ID {
				t.Errorf("key %s replaces %s, which names %q as its replacement", rec.ID, old.ID, old.ReplacedBy)
			}
			return nil
		})
	}))
}
