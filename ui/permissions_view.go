package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
	"github.com/keyrack/keyrack/model"
)

const resourceWidth = 24 // the longest resource name is 22 characters

// render puts every resource row into the pager and scrolls to the
// focused one.
func (p *matrixPane) render() {
	rows := make([]string, 0, model.ResourceCount)
	for i := range model.ResourceCount {
		r := model.Resource(i)
		marker := "  "
		if i == p.row {
			marker = p.env.st.key.Render("> ")
		}
		read := p.cell(r, model.Read, i == p.row && p.mode() == model.Read)
		write := "      "
		if !r.ReadOnly() {
			write = p.cell(r, model.Write, i == p.row && p.mode() == model.Write)
		}
		rows = append(rows, marker+cell(r.String(), resourceWidth)+"  "+read+" "+write)
	}
	p.pager.setLines(rows)
	p.pager.show(p.row)
}

func (p *matrixPane) view(width, height int, _ time.Time) string {
	st := p.env.st
	granted, offered := p.perms.Cells()
	out := []string{spread(st.boxTitle.Render(p.title), st.dim.Render(fmt.Sprintf("%d of %d granted", granted, offered)), width)}
	head := st.columns.Render(fmt.Sprintf("  %-*s  %-5s  %-5s", resourceWidth, "RESOURCE", "READ", "WRITE"))
	if p.unusedCount() > 0 {
		for _, legend := range []string{" granted, unused in 30 days · u keeps only used", " unused in 30 days · u keeps used", " unused in 30 d"} {
			if ansi.StringWidth(head+legend)+3 <= width {
				head = spread(head, st.dim.Render(unusedMark+legend), width)
				break
			}
		}
	}
	out = append(out, head)
	out = append(out, p.pager.view())
	footer := st.dim.Render(p.pager.footer())
	if p.dirty() {
		footer += st.warn.Render(" · unsaved changes")
	}
	if p.asking {
		footer = st.warn.Render("Discard unsaved changes? ") + st.key.Render("y") + " discard  " + st.key.Render("n") + " keep editing"
	}
	return strings.Join(append(out, footer), "\n")
}

// unusedMark follows a granted cell that allowed no request in 30 days.
const unusedMark = "◦"

// cell is " [x] " or " [ ] " and a column for the unused mark; the focused
// one is ">[x]<" so that it shows without colours too.
func (p *matrixPane) cell(r model.Resource, mode model.Access, focused bool) string {
	mark, after := " ", " "
	if p.perms.Allows(r, mode) {
		mark = "x"
	}
	if p.unused(r, mode) {
		after = p.env.st.dim.Render(unusedMark)
	}
	if focused {
		return p.env.st.selected.Render(">["+mark+"]<") + after
	}
	return " [" + mark + "] " + after
}

// unusedCount is how many granted cells allowed no request in 30 days.
func (p *matrixPane) unusedCount() int {
	n := 0
	for _, r := range model.Resources() {
		for _, mode := range []model.Access{model.Read, model.Write} {
			if p.unused(r, mode) {
				n++
			}
		}
	}
	return n
}

func (p *matrixPane) help() []key.Binding {
	k := p.env.bindings
	if p.asking {
		return []key.Binding{withHelp(k.Yes, "y", "discard changes"), withHelp(k.No, "n", "keep editing")}
	}
	enter := withHelp(k.Enter, "enter", p.action)
	if !p.dirty() && p.action == "save" {
		enter = withHelp(k.Enter, "enter", "close") // nothing to save
	}
	return []key.Binding{enter, withHelp(k.Back, "esc", "cancel"), k.Toggle,
		withHelp(k.Switch, "←/→", "Read/Write"), enabled(k.KeepUsed, p.key.ID != ""), k.ToggleRead, k.ToggleWrite, k.All, k.None}
}
