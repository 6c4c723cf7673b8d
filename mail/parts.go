package mail

import (
	"html/template"
	"strings"
	"text/tabwriter"
)

// renderText writes the plain-text part: the sentence, the aligned fields,
// and the footer.
func renderText(c content) string {
	var b strings.Builder
	b.WriteString("Hello,\n\n")
	b.WriteString(wrap(c.Intro, 72))
	b.WriteString("\n\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, f := range c.Fields {
		tw.Write([]byte(f.Label + ":\t" + f.Value + "\n"))
	}
	tw.Flush()
	b.WriteString("\n-- \n")
	b.WriteString(wrap(c.Outro, 72))
	b.WriteString("\n")
	return b.String()
}

// wrap breaks text into lines of at most width characters at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Fields(text) {
		n := len([]rune(w))
		if i > 0 && line+1+n > width {
			b.WriteString("\n")
			line = 0
		} else if i > 0 {
			b.WriteString(" ")
			line++
		}
		b.WriteString(w)
		line += n
	}
	return b.String()
}

// htmlPart is the HTML part; html/template escapes every value, so a key
// name like <script> arrives as text.
var htmlPart = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; color: #222;">
<h2 style="font-size: 18px;">{{.Subject}}</h2>
<p>{{.Intro}}</p>
<table style="border-collapse: collapse;">
{{- range .Fields}}
<tr><td style="padding: 2px 12px 2px 0; color: #666;">{{.Label}}</td><td style="padding: 2px 0;">{{.Value}}</td></tr>
{{- end}}
</table>
<p style="color: #666; font-size: 12px;">{{.Outro}}</p>
</body></html>
`))

func renderHTML(c content) string {
	var b strings.Builder
	if err := htmlPart.Execute(&b, c); err != nil {
		// The template is fixed and its data are strings: this cannot fail
		// short of a programming error, and a mail without HTML still works.
		return ""
	}
	return b.String()
}
