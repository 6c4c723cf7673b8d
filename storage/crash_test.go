package storage

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/etcdtest"
	"github.com/keyrack/keyrack/model"
)

const crashChildEnv = "KEYRACK_CRASH_CHILD_DB"

// TestMain lets the crash test re-execute this binary as the child that
// gets killed, and starts the package's embedded etcd (backends_test.go).
func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	if path := os.Getenv(crashBulkEnv); path != "" {
		crashBulkChild(path)
		return
	}
	code := etcdtest.Main(m, func(s *etcdtest.Server) { etcdServer = s })
	removeBigDB()
	os.Exit(code)
}

// crashChild rotates, creates, expires and deletes keys until it is killed.
func crashChild(path string) {
	s, err := Open(path, Options{LockTimeout: 5 * time.Second})
	if err != nil {
		os.Exit(3)
	}
	os.Stdout.WriteString("ready\n")
	for i := 0; ; i++ {
		keys, err := s.List()
		if err != nil || len(keys) == 0 {
			os.Exit(4)
		}
		k := keys[rand.IntN(len(keys))]
		switch i % 5 {
		case 0:
			s.Create("child", "crash", model.AllPermissions())
		case 1:
			s.Rotate("child", k.ID, time.Duration(rand.IntN(3))*50*time.Millisecond)
		case 2:
			s.Delete("child", k.ID)
		case 3:
			s.Expire("child", k.ID)
		case 4:
			s.ApplyDue(time.Now())
		}
	}
}

func TestCrashNeverLeavesHalfAnOperation(t *testing.T) {
	t.Setenv(MasterKeyEnv, "")
	path := filepath.Join(t.TempDir(), "crash.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	const kills = 25
	for i := 0; i < kills; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 6)
		if _, err := out.Read(buf); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child %d did not start: %v", i, err)
		}
		time.Sleep(time.Duration(5+rand.IntN(120)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		s, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("after kill %d: %v", i, err)
		}
		checkInvariants(t, s)
		s.Close()
		if t.Failed() {
			t.Fatalf("invariants broken after kill %d", i)
		}
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	entries, _ := s.Audit(0)
	if len(entries) < kills {
		t.Fatalf("children did little work: %d audit records", len(entries))
	}
	t.Logf("%d audit records after %d kills", len(entries), kills)
}
