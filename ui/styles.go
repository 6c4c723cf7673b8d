package ui

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// styles are built from the renderer of one session, so that each SSH
// session gets colours its own terminal understands (and none with NO_COLOR).
type styles struct {
	r     *lipgloss.Renderer
	ascii bool // no colours or attributes: markers must carry the meaning

	header, title, dim, columns, cursorRow, hoverRow, warn, err, ok lipgloss.Style
	label, token, key, box, boxTitle, selected, rule                lipgloss.Style
}

// newStyles asks the terminal for its background now, before the program
// reads input, so that no query races the key reader later.
func newStyles(r *lipgloss.Renderer) styles {
	if r.ColorProfile() != termenv.Ascii {
		r.HasDarkBackground()
	}
	accent := lipgloss.AdaptiveColor{Light: "#5A3FD9", Dark: "#9D8CFF"}
	subtle := lipgloss.AdaptiveColor{Light: "#767676", Dark: "#8A8A8A"}
	return styles{
		r:         r,
		ascii:     r.ColorProfile() == termenv.Ascii,
		header:    r.NewStyle().Bold(true),
		title:     r.NewStyle().Bold(true).Foreground(accent),
		dim:       r.NewStyle().Foreground(subtle),
		columns:   r.NewStyle().Bold(true).Foreground(subtle),
		cursorRow: r.NewStyle().Bold(true).Foreground(lipgloss.AdaptiveColor{Light: "#000000", Dark: "#FFFFFF"}).Background(lipgloss.AdaptiveColor{Light: "#D7D7FF", Dark: "#5F5FAF"}),
		// A grey that shows on black and dark-grey terminals (#262626 did
		// not) and differs from the cursor row's purple in 256 colours too.
		hoverRow: r.NewStyle().Background(lipgloss.AdaptiveColor{Light: "#E4E4E4", Dark: "#3A3A3A"}),
		warn:     r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#B35C00", Dark: "#FFB454"}),
		err:      r.NewStyle().Bold(true).Foreground(lipgloss.AdaptiveColor{Light: "#C0142B", Dark: "#FF6B7A"}),
		ok:       r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#1E7A34", Dark: "#6BD97E"}),
		label:    r.NewStyle().Foreground(subtle),
		token:    r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#B35C00", Dark: "#FFD479"}),
		key:      r.NewStyle().Bold(true).Foreground(accent),
		box:      r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		boxTitle: r.NewStyle().Bold(true),
		selected: r.NewStyle().Reverse(true),
		rule:     r.NewStyle().Foreground(subtle),
	}
}
