package testkit

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// MappedRSS is the resident size in bytes of this process's mappings of
// path, from /proc/self/smaps (Linux).
func MappedRSS(t testing.TB, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	total, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-"):
			// A mapping's header; an anonymous one has no path (5 fields)
			// and must not count as the file's.
			in = len(fields) >= 6 && fields[len(fields)-1] == path
		case in && len(fields) == 3 && fields[0] == "Rss:":
			kb, _ := strconv.Atoi(fields[1])
			total += kb << 10
		}
	}
	return total
}
