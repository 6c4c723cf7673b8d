package ui

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// inlineRows is how many keys a filter or sort tests in Update itself: a
// few thousand take well under a frame, and showing "filtering…" for them
// would only flicker. More (a first keystroke at a million keys takes
// seconds) are tested in a command while the screen keeps answering.
const inlineRows = 5000

// rowsJob is the computation of the rows for a query newer than the one
// shown; the rows shown stay, and keep working, until it ends.
type rowsJob struct {
	query  rowsQuery
	gen    int
	cancel context.CancelFunc
}

// rowsMsg carries the rows that job gen computed.
type rowsMsg struct {
	gen  int
	rows tableRows
}

// wanted is the query the table is headed for: the one waiting for the
// running job, the running job's, or the one shown.
func (t *keyTable) wanted() rowsQuery {
	switch {
	case t.after != nil:
		return *t.after
	case t.next != nil:
		return t.next.query
	}
	return t.rowsQuery
}

// show makes the rows answer q: at once when that is little work, else
// in the command it returns; not at all when they already do or will. A job still running for another filter or
// order is stopped: only the latest keystroke counts. One running for the
// same query on older keys goes on, and q waits for it, so that loads
// coming faster than a scan (a bulk change at a million keys) still let
// each scan end and show.
func (t *keyTable) show(q rowsQuery) tea.Cmd {
	switch w := t.wanted(); {
	case q.load == w.load && q.newerKeys(w):
		return nil // nothing changed: ← or → in the filter's field
	case t.next != nil && q.newerKeys(t.next.query):
		t.after = &q
		return nil
	case t.next != nil:
		t.next.cancel()
		t.next, t.after = nil, nil
	}
	var base []int
	work := 0
	if q.keys != nil {
		work = q.keys.Len()
	}
	if q.narrows(t.rowsQuery) {
		base, work = t.rows, len(t.rows)
	}
	if q.everyKey() || work <= inlineRows {
		rows, _ := computeRows(context.Background(), q, base)
		t.install(q, rows)
		return nil
	}
	t.jobs++
	ctx, cancel := context.WithCancel(context.Background())
	job := &rowsJob{query: q, gen: t.jobs, cancel: cancel}
	t.next = job
	return func() tea.Msg {
		rows, ok := computeRows(ctx, q, base)
		if !ok {
			return nil // stopped: a newer query replaced it
		}
		return rowsMsg{job.gen, rows}
	}
}

// rowsReady shows the rows of the running job (those of a stopped one
// are dropped), then starts on the keys loaded meanwhile, if any.
func (t *keyTable) rowsReady(msg rowsMsg) tea.Cmd {
	if t.next == nil || msg.gen != t.next.gen {
		return nil
	}
	q, after := t.next.query, t.after
	t.next.cancel()
	t.next, t.after = nil, nil
	t.install(q, msg.rows)
	if after != nil {
		return t.show(*after)
	}
	return nil
}

// install shows rows that answer q, keeping the cursor on the selected
// key, or moving it to selectNext once a load brings that key.
func (t *keyTable) install(q rowsQuery, r tableRows) {
	sel, _ := t.selected()
	id := sel.ID
	if t.selectNext != "" && q.keys != nil {
		if _, listed := q.keys.Find(t.selectNext); listed || q.load != t.load {
			id, t.selectNext = t.selectNext, ""
		}
	}
	t.rowsQuery, t.rows, t.index, t.hover = q, r.rows, r.index, -1
	t.selectRow(id)
}

// working says what the rows are being computed for ("" when they answer
// the latest query, or only a newer load of the same one).
func (t *keyTable) working() string {
	if t.next == nil {
		return ""
	}
	q := t.next.query
	switch {
	case q.filter != t.filter && q.filter != "":
		return fmt.Sprintf("filtering %s for %q…", model.Count(q.keys.Len(), "key", "keys"), model.Printable(q.filter))
	case q.filter != t.filter || q.life != t.life:
		return "filtering…"
	case q.order != t.order:
		return "sorting by " + q.order.String() + "…"
	}
	return ""
}
