package mail

import (
	"fmt"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
)

// Message is a notification rendered for mail. It never holds a token:
// the notification it comes from holds only masked forms.
type Message struct {
	Subject string
	Text    string
	HTML    string
}

// field is one labelled line of the details table.
type field struct{ Label, Value string }

// content is what both the plain-text and the HTML part say.
type content struct {
	Subject string
	Intro   string
	Fields  []field
	Outro   string
	Org     string
}

// events say, after the key's name, what happened to it.
var events = map[model.NotificationKind]string{
	model.NotifyCreated:           "created",
	model.NotifyRotated:           "rotated",
	model.NotifyRotationScheduled: "rotated",
	model.NotifyExpired:           "expired",
	model.NotifyDeleted:           "deleted",
	model.NotifyDisabled:          "disabled",
	model.NotifyEnabled:           "enabled",
	model.NotifyExpiryChanged:     "expiry changed",
	model.NotifyRetiredIdle:       "retired after going quiet",
	model.NotifyReminder:          "expires soon",
	model.NotifyPermissions:       "permissions changed",
}

// Subject returns the subject line of a notification, naming the
// organization and the key: [Acme] API key "ci" rotated.
func Subject(n model.Notification) string {
	if n.Count > 0 {
		return describeBulk(n).Subject
	}
	event, ok := events[n.Kind]
	if !ok {
		event = "changed"
	}
	key := n.KeyMasked
	if name := strings.TrimSpace(n.KeyName); name != "" {
		key = `"` + model.Printable(name) + `"`
	}
	s := strings.TrimSpace("API key " + key + " " + event)
	switch {
	case n.Kind == model.NotifyRotationScheduled && n.Idle > 0:
		s += "; the old key goes " + whenQuiet(n)
	case n.Kind == model.NotifyRotationScheduled:
		s += "; the old key works until " + stamp(n.ExpiresAt)
	case n.Kind == model.NotifyRetiredIdle:
		s = strings.TrimSpace("API key "+key) + ": old key retired after " + model.FormatSpan(n.Idle) + " without traffic"
	}
	if org := model.Printable(n.Organization); org != "" {
		s = "[" + org + "] " + s
	}
	return s
}

// Render builds the subject, plain-text and HTML parts of a notification.
func Render(n model.Notification) Message {
	c := describe(n)
	return Message{Subject: c.Subject, Text: renderText(c), HTML: renderHTML(c)}
}

// describe says, in sentences and labelled fields, what happened.
func describe(n model.Notification) content {
	if n.Count > 0 {
		return describeBulk(n)
	}
	org, name, by := model.Printable(n.Organization), keyName(n.KeyName), model.Printable(n.Actor)
	c := content{Subject: Subject(n), Org: org}
	key := fmt.Sprintf("%s (%s)", name, n.KeyMasked)
	switch n.Kind {
	case model.NotifyCreated:
		c.Intro = fmt.Sprintf("A new API key, %s, has been created in %s. It is active now.", key, org)
	case model.NotifyRotated:
		c.Intro = fmt.Sprintf("The API key %s of %s has been rotated. The old key stopped working at once; the new key %s replaces it.", key, org, n.NewKeyMasked)
	case model.NotifyRotationScheduled:
		c.Intro = fmt.Sprintf("The API key %s of %s has been rotated. The new key %s is active now; the old key keeps working until %s and then stops working.", key, org, n.NewKeyMasked, stamp(n.ExpiresAt))
		if n.Idle > 0 {
			c.Intro = fmt.Sprintf("The API key %s of %s has been rotated. The new key %s is active now; the old key keeps working while it is in use and goes %s.", key, org, n.NewKeyMasked, whenQuiet(n))
		}
	case model.NotifyExpired:
		c.Intro = fmt.Sprintf("The API key %s of %s has expired: its grace period ended and it no longer works.", key, org)
	case model.NotifyDeleted:
		c.Intro = fmt.Sprintf("The API key %s of %s has been deleted. It no longer works.", key, org)
	default:
		c.Intro = lifecycleIntro(n, key, org)
	}
	c.Fields = append(c.Fields, field{"Organization", org}, field{"Key", fmt.Sprintf("%s (id %s)", name, model.Printable(n.KeyID))}, field{"Token", n.KeyMasked})
	if n.NewKeyMasked != "" {
		c.Fields = append(c.Fields, field{"New token", n.NewKeyMasked})
	}
	switch {
	case n.Kind == model.NotifyRotationScheduled && n.Idle > 0:
		c.Fields = append(c.Fields, field{"Old key stops working", whenQuiet(n)})
	case n.Kind == model.NotifyRotationScheduled:
		c.Fields = append(c.Fields, field{"Old key stops working", stamp(n.ExpiresAt)})
	}
	c.Fields = append(c.Fields, lifecycleFields(n)...)
	c.Fields = append(c.Fields, field{"By", by}, field{"When", stamp(n.At)})
	c.Outro = footer(org)
	return c
}

// whenQuiet says when an until-idle rotation's old key goes.
func whenQuiet(n model.Notification) string {
	return fmt.Sprintf("after %s without traffic, at the latest %s", model.FormatSpan(n.Idle), stamp(n.ExpiresAt))
}

func keyName(name string) string {
	if strings.TrimSpace(name) == "" {
		return "(unnamed)"
	}
	return "“" + model.Printable(name) + "”"
}

// stamp writes times in UTC with the zone, readable wherever the admins are.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("Mon, 2 Jan 2006 15:04:05 MST")
}

// footer is the closing paragraph of every mail.
func footer(org string) string {
	return fmt.Sprintf("You receive this mail because you are an admin of %s. Tokens are never sent by mail. An admin can reveal a key's token at any time (keyrack keys reveal, or v in the dashboard); every reveal is recorded in the audit log.", org)
}
