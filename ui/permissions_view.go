package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/keyrack/keyrack/model"
)

const resourceWidth = 24 // the longest resource name is 22 characters

func (p *matrixPane) view(width, height int, _ time.Time) string {
	st := p.env.st
	granted, offered := p.perms.Cells()
	out := []string{spread(st.boxTitle.Render(p.title), st.dim.Render(fmt.Sprintf("%d of %d granted", granted, offered)), width)}
	out = append(out, st.columns.Render(fmt.Sprintf("  %-*s  %-5s  %-5s", resourceWidth, "RESOURCE", "READ", "WRITE")))
	n := p.rowsShown()
	for i := p.offset; i < min(p.offset+n, model.ResourceCount); i++ {
		r := model.Resource(i)
		marker := "  "
		if i == p.row {
			marker = st.key.Render("> ")
		}
		read := p.cell(r, model.Read, i == p.row && p.mode() == model.Read)
		write := "     "
		if !r.ReadOnly() {
			write = p.cell(r, model.Write, i == p.row && p.mode() == model.Write)
		}
		out = append(out, marker+cell(r.String(), resourceWidth)+"  "+read+"  "+write)
	}
	footer := st.dim.Render(fmt.Sprintf("rows %d–%d of %d", p.offset+1, min(p.offset+n, model.ResourceCount), model.ResourceCount))
	if p.dirty() {
		footer += st.warn.Render(" · unsaved changes")
	}
	if p.asking {
		footer = st.warn.Render("Discard unsaved changes? ") + st.key.Render("y") + " discard  " + st.key.Render("n") + " keep editing"
	}
	out = append(out, footer)
	return strings.Join(out, "\n")
}

// cell is " [x] " or " [ ] "; the focused one is ">[x]<" so that it shows
// without colours too.
func (p *matrixPane) cell(r model.Resource, mode model.Access, focused bool) string {
	mark := " "
	if p.perms.Allows(r, mode) {
		mark = "x"
	}
	if focused {
		return p.env.st.selected.Render(">[" + mark + "]<")
	}
	return " [" + mark + "] "
}

func (p *matrixPane) help() []key.Binding {
	k := p.env.keys
	if p.asking {
		y, n := k.Yes, k.No
		y.SetHelp("y", "discard changes")
		n.SetHelp("n", "keep editing")
		return []key.Binding{y, n}
	}
	enter, back := k.Enter, k.Back
	enter.SetHelp("enter", p.action)
	back.SetHelp("esc", "cancel")
	return []key.Binding{enter, back, k.Toggle, k.ToggleRead, k.ToggleWrite, k.All, k.None, k.Left}
}
