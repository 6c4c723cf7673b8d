package mail

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
)

// lifecycleIntro says what a lifecycle event (disable, enable, expiry
// change, idle retirement, reminder) did to one key.
func lifecycleIntro(n model.Notification, key, org string) string {
	switch n.Kind {
	case model.NotifyDisabled:
		return fmt.Sprintf("The API key %s of %s has been disabled. It no longer works until it is enabled again; its permissions and history are kept.", key, org)
	case model.NotifyEnabled:
		return fmt.Sprintf("The API key %s of %s has been enabled. It works again.", key, org)
	case model.NotifyExpiryChanged:
		if n.ExpiresAt.IsZero() {
			return fmt.Sprintf("The API key %s of %s no longer expires.", key, org)
		}
		return fmt.Sprintf("The API key %s of %s now expires at %s and then stops working.", key, org, stamp(n.ExpiresAt))
	case model.NotifyRetiredIdle:
		return fmt.Sprintf("The old key %s of %s retired after %s without traffic: its rotation has drained and it no longer works.", key, org, model.FormatSpan(n.Idle))
	case model.NotifyPermissions:
		return fmt.Sprintf("The permissions of the API key %s of %s have changed: it can do only what they allow from now on.", key, org)
	case model.NotifyReminder:
		return fmt.Sprintf("The API key %s of %s expires at %s (in %s) and then stops working. Rotate it before then.", key, org, stamp(n.ExpiresAt), model.FormatSpan(n.ExpiresAt.Sub(n.At).Round(time.Minute)))
	}
	return fmt.Sprintf("Something happened to the API key %s of %s.", key, org)
}

// lifecycleFields are the details a reminder adds (expiry, last use and
// the command that rotates the key) or a permission change (before, now).
func lifecycleFields(n model.Notification) []field {
	if n.Kind == model.NotifyPermissions {
		return []field{{"Permissions before", model.Printable(n.PermissionsBefore)}, {"Permissions now", model.Printable(n.PermissionsAfter)}}
	}
	if n.Kind != model.NotifyReminder {
		return nil
	}
	return []field{{"Expires", stamp(n.ExpiresAt)}, {"Last used", lastUse(n.LastUsedAt)}, {"Rotate it with", rotateCommand(n.Command, n.KeyID)}}
}

func lastUse(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return stamp(t)
}

// rotateCommand is the exact command that rotates key id with a day of grace.
func rotateCommand(prefix, id string) string {
	if prefix == "" {
		prefix = "keyrack"
	}
	return fmt.Sprintf("%s keys rotate %s --in 24h", model.Printable(prefix), model.Printable(id))
}
