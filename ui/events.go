package ui

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// report turns what others did (another admin, the scheduler, a command
// through serve) into the status line, and remembers why keys went, for
// a dialog about one of them. The dashboard's own actions report
// themselves when they return.
func (m *Model) report(events []storage.Event) {
	var texts []string
	closed := ""
	for _, e := range events {
		if e.Lost || e.Actor == m.env.actor {
			continue
		}
		var before model.Key // the key as the table still shows it
		if i, ok := m.table.rowOf(e.KeyID); ok {
			before, _ = m.table.at(i)
		}
		text := eventText(e, before)
		if text == "" {
			continue
		}
		texts = append(texts, text)
		if e.KeyID != "" && (e.Action == model.ActionDelete || e.Action == model.ActionExpire || e.Action == model.ActionRetireIdle) {
			if m.departed == nil {
				m.departed = make(map[string]string)
			}
			m.departed[e.KeyID] = text
			if e.KeyID == m.closedEarly {
				closed, m.closedEarly = text, ""
			}
		}
	}
	switch n := len(texts); {
	case closed != "":
		m.fail(fmt.Errorf("%s; the dialog about it closed", closed))
	case n == 1:
		m.setStatus(texts[0])
	case n > 1:
		m.setStatus(fmt.Sprintf("%d changes elsewhere; the last: %s", n, texts[n-1]))
	}
}

// eventText says what an event did, in words: "ci was deleted by
// alice@example.com", "Default (old) expired", "12 keys were rotated by …".
// before is the key as it was listed, if it was. Reads (reveal, copy)
// say nothing.
func eventText(e storage.Event, before model.Key) string {
	name := model.Key{Name: e.KeyName}.DisplayName()
	old := before.ReplacedBy != ""
	if e.Count > 1 || (e.KeyID == "" && e.Member == "") {
		name = model.Count(e.Count, "key", "keys")
	}
	was, by := verb(e.Count, "was", "were"), model.Printable(e.Actor)
	switch e.Action {
	case model.ActionExpire:
		if e.Actor != storage.SchedulerActor {
			return fmt.Sprintf("%s %s expired by %s", name, was, by)
		}
		if old && e.Count <= 1 {
			name += " (old)"
		}
		return name + " expired"
	case model.ActionDelete:
		return fmt.Sprintf("%s %s deleted by %s", name, was, by)
	case model.ActionRetireIdle:
		return name + " (old) retired: it went quiet"
	case model.ActionCreate:
		return fmt.Sprintf("%s %s created by %s", name, was, by)
	case model.ActionRotate, model.ActionScheduleRot:
		return fmt.Sprintf("%s %s rotated by %s", name, was, by)
	case model.ActionRename:
		if before.ID != "" {
			return fmt.Sprintf("%s was renamed to %s by %s", before.DisplayName(), name, by)
		}
		return fmt.Sprintf("%s %s renamed by %s", name, was, by)
	case model.ActionPermissions:
		return fmt.Sprintf("the permissions of %s were changed by %s", name, by)
	case model.ActionReveal, model.ActionCopy, model.ActionOrganization:
		return ""
	}
	if e.Member != "" {
		return fmt.Sprintf("%s: %s by %s", model.Printable(e.Member), model.ActionWords(e.Action), by)
	}
	return ""
}

// keyDialog is a dialog about one existing key (rotate, permissions,
// rename, delete, expire), which closes when the key goes.
type keyDialog interface {
	subject() model.Key
}

// closeIfGone closes the open dialog when its key is no longer in keys
// (the list just loaded: the table may still show the one before while it
// filters this one), saying who or what removed it.
func (m *Model) closeIfGone(keys KeyList) {
	d, ok := m.pane.(keyDialog)
	if !ok || d.subject().ID == "" {
		m.departed = nil // no dialog needs the reasons
		return
	}
	k := d.subject()
	if _, listed := keys.Find(k.ID); listed {
		return
	}
	m.pane = nil
	why, ok := m.departed[k.ID]
	m.departed = nil
	if !ok {
		// The load was taken after the commit but came back before its
		// report: that names who removed the key.
		why, m.closedEarly = k.DisplayName()+" is gone: it expired or was deleted", k.ID
	}
	m.fail(fmt.Errorf("%s; the dialog about it closed", why))
}
