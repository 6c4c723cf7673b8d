package ui

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// usedWindow is how far back the permission matrix looks for use, as
// keys permissions --suggest does by default.
const usedWindow = 30 * model.Day

// usedLately is a key's use over usedWindow, for the permission matrix:
// the smallest permissions that allowed it (model.Usage.Suggest, the
// CLI's --suggest) and the usage itself for the dry run.
type usedLately struct {
	usage model.Usage
	used  model.Permissions
	err   error
}

// loadUsed reads the edited key's use in the 30 days before the matrix
// opened at now, and again after each commit (serve's flushes among them).
func (p *matrixPane) loadUsed(now time.Time) tea.Cmd {
	p.usedSince = now.Add(-usedWindow)
	return p.reloadUsed()
}

func (p *matrixPane) reloadUsed() tea.Cmd {
	id, store, since := p.key.ID, p.env.store, p.usedSince
	return func() tea.Msg {
		_, u, err := store.Usage(id, since)
		return usedLately{usage: u, used: u.Suggest(), err: err}
	}
}

// unused reports whether mode on r is granted in the matrix but allowed
// no request in the window (false until the use is read).
func (p *matrixPane) unused(r model.Resource, mode model.Access) bool {
	return p.used != nil && p.used.err == nil && p.perms.Allows(r, mode) && !p.used.used.Allows(r, mode)
}

// keepUsed asks before keeping only the granted permissions that were
// used: the confirmation shows the new permissions, what goes and the dry
// run (model.Usage.DryRun, as keys permissions --dry-run), and applies
// them through the same storage call as the matrix's save.
func (p *matrixPane) keepUsed() (pane, tea.Cmd) {
	if p.used == nil || p.used.err != nil {
		why := "its use is still being read"
		if p.used != nil {
			why = "its use could not be read: " + model.Printable(p.used.err.Error())
		}
		return p, failCmd(fmt.Errorf("cannot keep only what %s used: %s", p.key.DisplayName(), why))
	}
	var keep model.Permissions
	var removed []string
	for _, r := range model.Resources() {
		keep[r] = p.perms[r] & p.used.used[r]
		if gone := p.perms[r] &^ keep[r]; gone != 0 {
			removed = append(removed, r.String()+" "+gone.String())
		}
	}
	name := p.key.DisplayName() + " (" + model.Printable(p.key.ID) + ")"
	c := &confirmPane{env: p.env, key: p.key, back: p}
	if len(removed) == 0 {
		c.title = "Nothing to remove from " + name
		c.body = []string{"Every permission it has allowed a request in the last 30 days."}
		return c, nil
	}
	u := p.used.usage
	_, refused := u.DryRun(keep)
	granted, offered := keep.Cells()
	before, _ := p.perms.Cells()
	c.title, c.action = "Keep only what "+name+" used?", "Keep only used"
	c.body = []string{
		fmt.Sprintf("New permissions: %s (%d of %d).", keep, granted, offered),
		fmt.Sprintf("Removes %s: %s.", model.Count(before-granted, "permission", ""), listSome(removed, 6, "resource")),
		fmt.Sprintf("Dry run: they would have refused %s of the %s it was allowed in the last 30 days.",
			model.Thousands(int(refused)), model.Count(int(u.Allowed), "request", "")),
	}
	if keep == (model.Permissions{}) {
		c.body = append(c.body, p.env.st.warn.Render("⚠ It was allowed no request in 30 days: /auth will refuse it everything."))
	}
	c.onYes = p.save(keep)
	return c, nil
}

// listSome joins the first n items and counts the others: "… and 1 more
// resource".
func listSome(items []string, n int, noun string) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + " and " + model.Count(len(items)-n, "more "+noun, "more "+noun+"s")
}
