package cli

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
)

// report prints one token found at name:line.
func (sc *scanner) report(name string, line int, c model.FoundCredential) {
	k, ok, err := sc.st.FindToken(c.Token)
	if err != nil {
		sc.a.warn("%s:%d: %v", name, line, err)
		return
	}
	now := sc.st.Now()
	where := fmt.Sprintf("%s:%d", model.Printable(name), line)
	switch {
	case ok && !k.PastExpiry(now):
		sc.live++
		if sc.liveIDs == nil {
			sc.liveIDs = map[string]bool{}
		}
		sc.liveIDs[k.ID] = true
		fmt.Fprintf(sc.a.env.Stdout, "%s: %s key %s %s %s\n", where, c.Token.Masked(), k.ID, k.DisplayName(), k.Status(now))
	case !c.Lago: // any UUID looks like a Lago token: only stored ones count
		sc.unknown++
		fmt.Fprintf(sc.a.env.Stdout, "%s: %s unknown token (expired, deleted or another organization's)\n", where, c.Token.Masked())
	}
}

// finish says what was found and returns the exit status: 1 when a key
// was found, 2 when nothing could be read, else 0.
func (sc *scanner) finish() error {
	w := sc.a.env.Stderr
	fmt.Fprintf(w, "scanned %s: %s of %s found", model.Count(sc.read, "file", ""), model.Count(sc.live, "token", ""), model.Count(len(sc.liveIDs), "live key", ""))
	if sc.unknown > 0 {
		fmt.Fprintf(w, ", %s not stored", model.Count(sc.unknown, "other token", ""))
	}
	if sc.unreadable > 0 {
		fmt.Fprintf(w, ", %s unreadable", model.Count(sc.unreadable, "path", ""))
	}
	fmt.Fprintln(w)
	switch {
	case sc.live > 0:
		fmt.Fprintf(w, "these keys are exposed: rotate each (keyrack keys rotate ID), or every key at once: keyrack keys rotate --all\n")
		return exitCode(1)
	case sc.read == 0:
		return exitCode(2)
	}
	return nil
}
