package storage

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// secondOpen tries to open s's database while s holds it.
func secondOpen(t *testing.T, s *Store) string {
	t.Helper()
	_, err := Open(s.Path(), Options{LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	return err.Error()
}

func TestInUseNamesTheDashboardThatHoldsTheDatabase(t *testing.T) {
	s, _ := openTest(t)
	if err := s.Announce(Holder{Kind: HolderDashboard, Started: time.Date(2026, 11, 26, 10, 2, 0, 0, time.Local)}); err != nil {
		t.Fatal(err)
	}
	want := "database " + s.Path() + " is in use by the keyrack dashboard (pid " + strconv.Itoa(os.Getpid()) + ", started "
	if got := secondOpen(t, s); len(got) < len(want) || got[:len(want)] != want {
		t.Fatalf("message %q, want it to start with %q", got, want)
	}
}

func TestInUseByServeGivesItsSSHPort(t *testing.T) {
	s, _ := openTest(t)
	if err := s.Announce(Holder{Kind: HolderServe, SSHPort: 23299}); err != nil {
		t.Fatal(err)
	}
	want := "database " + s.Path() + " is in use by keyrack serve (pid " + strconv.Itoa(os.Getpid()) + "; use ssh -p 23299 localhost)"
	if got := secondOpen(t, s); got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}

func TestLockInfoOfADeadProcessGivesNoHint(t *testing.T) {
	s, _ := openTest(t)
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	stale := `{"pid":` + strconv.Itoa(cmd.Process.Pid) + `,"kind":"serve","ssh_port":23234}`
	if err := os.WriteFile(s.Path()+lockInfoSuffix, []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, want := secondOpen(t, s), "database "+s.Path()+" is in use by another keyrack process"; got != want {
		t.Fatalf("message %q, want %q: a dead process's port is no hint", got, want)
	}
}

func TestCloseRemovesTheLockInfo(t *testing.T) {
	s, _ := openTest(t)
	if err := s.Announce(Holder{Kind: HolderDashboard}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(s.Path() + lockInfoSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("lock-info after Close: %v", err)
	}
}

func TestInUseHintRepeatsOnlyNumbersFromTheLockInfo(t *testing.T) {
	s, _ := openTest(t)
	pid := strconv.Itoa(os.Getpid())
	for content, want := range map[string]string{
		`{"pid":` + pid + `,"kind":"serve","ssh_port":2222}`:                "keyrack serve (pid " + pid + "; use ssh -p 2222 localhost)",
		`{"pid":` + pid + `,"kind":"serve","ssh_port":99999}`:               "another keyrack process",
		`{"pid":` + pid + `,"kind":"\u001b]0;pwned\u0007","ssh_port":2222}`: "another keyrack process",
		"\x1b]0;pwned\x07\n":                        "another keyrack process",
		`{"pid":-1,"kind":"serve","ssh_port":2222}`: "another keyrack process",
	} {
		if err := os.WriteFile(s.Path()+lockInfoSuffix, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got := secondOpen(t, s)
		if want = "database " + s.Path() + " is in use by " + want; got != want {
			t.Errorf("lock-info %q: %q, want %q", content, got, want)
		}
	}
}
