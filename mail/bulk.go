package mail

import (
	"fmt"
	"strconv"

	"github.com/keyrack/keyrack/model"
)

// bulkSubjects are the subjects of mails about many keys at once.
var bulkSubjects = map[model.NotificationKind]string{
	model.NotifyCreated:           "[%s] %s API keys created",
	model.NotifyRotated:           "[%s] %s API keys rotated",
	model.NotifyRotationScheduled: "[%s] %s API keys rotated; the old keys work until %s",
	model.NotifyExpired:           "[%s] %s API keys expired",
	model.NotifyDeleted:           "[%s] %s API keys deleted",
	model.NotifyReminder:          "[%s] %s API keys expire soon",
}

// describeBulk says what one bulk event (an expiry pass, rotate --all, an
// import) did: how many keys, the first model.BulkListed of them by name
// and masked token, and how many more.
func describeBulk(n model.Notification) content {
	org, by, count := model.Printable(n.Organization), model.Printable(n.Actor), thousands(n.Count)
	subject, ok := bulkSubjects[n.Kind]
	if !ok {
		subject = "[%s] %s API keys changed"
	}
	args := []any{org, count}
	if n.Kind == model.NotifyRotationScheduled {
		args = append(args, stamp(n.ExpiresAt))
	}
	c := content{Subject: fmt.Sprintf(subject, args...), Org: org}
	switch n.Kind {
	case model.NotifyCreated:
		c.Intro = fmt.Sprintf("%s API keys have been created in %s. They are active now.", count, org)
	case model.NotifyRotated:
		c.Intro = fmt.Sprintf("%s API keys of %s have been rotated. The old keys stopped working at once; new keys replace them.", count, org)
	case model.NotifyRotationScheduled:
		c.Intro = fmt.Sprintf("%s API keys of %s have been rotated. The new keys are active now; the old keys keep working until %s and then stop working.", count, org, stamp(n.ExpiresAt))
	case model.NotifyExpired:
		c.Intro = fmt.Sprintf("%s API keys of %s have expired: their grace period ended and they no longer work.", count, org)
	case model.NotifyReminder:
		c.Intro = fmt.Sprintf("%s API keys of %s expire soon and then stop working. Rotate each before its expiry: %s.", count, org, rotateCommand(n.Command, "ID"))
	default:
		c.Intro = fmt.Sprintf("%s API keys of %s changed.", count, org)
	}
	c.Fields = append(c.Fields, field{"Organization", org}, field{"Keys", count})
	for i, k := range n.Keys {
		v := fmt.Sprintf("%s (%s)", keyName(k.Name), model.Printable(k.Masked))
		if k.NewMasked != "" {
			v += " → " + model.Printable(k.NewMasked)
		}
		if !k.ExpiresAt.IsZero() {
			v += fmt.Sprintf(", id %s, expires %s, last used %s", model.Printable(k.ID), stamp(k.ExpiresAt), lastUse(k.LastUsedAt))
		}
		c.Fields = append(c.Fields, field{fmt.Sprintf("%d.", i+1), v})
	}
	if more := n.Count - len(n.Keys); more > 0 {
		c.Fields = append(c.Fields, field{"", "… and " + thousands(more) + " more"})
	}
	if n.Kind == model.NotifyRotationScheduled {
		c.Fields = append(c.Fields, field{"Old keys stop working", stamp(n.ExpiresAt)})
	}
	c.Fields = append(c.Fields, field{"By", by}, field{"When", stamp(n.At)})
	c.Outro = footer(org)
	return c
}

// thousands writes n with commas between groups of three digits: 12,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
