package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupWritesACopyOrSaysWhichFileItCannotCreate(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	copyPath := filepath.Join(dir, "copy.db")
	h.ok("backup", copyPath)
	if fi, err := os.Stat(copyPath); err != nil || fi.Size() == 0 {
		t.Fatalf("backup wrote %v, %v", fi, err)
	}
	missing := filepath.Join(dir, "no-such-dir", "copy.db")
	if msg := h.fails(1, "backup", missing); !strings.Contains(msg, "backup: cannot create "+missing+": no such file or directory") {
		t.Errorf("stderr %q", msg)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("backup left %d files in %s, want the copy alone", len(entries), dir)
	}
}
