package model

import "time"

// NotificationKind names the event a mail tells the admins about.
type NotificationKind string

// The events that cause mail.
const (
	NotifyCreated           NotificationKind = "created"
	NotifyRotated           NotificationKind = "rotated"
	NotifyRotationScheduled NotificationKind = "rotation_scheduled"
	NotifyExpired           NotificationKind = "expired"
	NotifyDeleted           NotificationKind = "deleted"
	NotifyDisabled          NotificationKind = "disabled"
	NotifyEnabled           NotificationKind = "enabled"
	NotifyExpiryChanged     NotificationKind = "expiry_changed"
	NotifyRetiredIdle       NotificationKind = "retired_idle"
	NotifyReminder          NotificationKind = "reminder"
	NotifyPermissions       NotificationKind = "permissions_changed"
)

// MailState is where a notification stands in the outbox.
type MailState string

// Outbox states. A failed entry is still retried; the state tells the view
// that the last attempt failed.
const (
	MailPending MailState = "pending"
	MailFailed  MailState = "failed"
	MailSent    MailState = "sent"
)

// Notification is one mail in the outbox: what happened, to whom, and how
// delivery went. It never holds a token.
type Notification struct {
	ID           string           `json:"id"`
	Kind         NotificationKind `json:"kind"`
	Organization string           `json:"organization"`
	KeyID        string           `json:"key_id"`
	KeyName      string           `json:"key_name"`
	KeyMasked    string           `json:"key_masked"`
	NewKeyMasked string           `json:"new_key_masked,omitempty"`
	Actor        string           `json:"actor"`
	At           time.Time        `json:"at"`
	ExpiresAt    time.Time        `json:"expires_at,omitzero"`
	Recipients   []string         `json:"recipients"`
	// Count and Keys describe a bulk event (an expiry pass, rotate --all,
	// an import): how many keys, and the first BulkListed of them. A
	// notification about one key leaves them empty and names it above.
	Count int           `json:"count,omitempty"`
	Keys  []NotifiedKey `json:"keys,omitempty"`
	// Lifecycle details: a reminder names the key's last use and the
	// command that rotates it (Command is its prefix, "keyrack" or
	// "ssh -p PORT HOST"); an idle retirement names the quiet period.
	LastUsedAt time.Time     `json:"last_used_at,omitzero"`
	Command    string        `json:"command,omitempty"`
	Idle       time.Duration `json:"idle,omitzero"`
	// A permission change names the key's permissions before and after,
	// as specs (keys permissions ID SPEC).
	PermissionsBefore string `json:"permissions_before,omitempty"`
	PermissionsAfter  string `json:"permissions_after,omitempty"`

	State         MailState `json:"state"`
	Attempts      int       `json:"attempts"`
	LastError     string    `json:"last_error,omitempty"`
	NextAttemptAt time.Time `json:"next_attempt_at,omitzero"`
	SentAt        time.Time `json:"sent_at,omitzero"`
	// A worker that claimed the mail sends it; no other worker does until
	// ClaimedUntil (a worker that died with it claimed holds it till then).
	ClaimedBy    string    `json:"claimed_by,omitempty"`
	ClaimedUntil time.Time `json:"claimed_until,omitzero"`
}

// BulkListed is how many keys a bulk notification names; the rest are counted.
const BulkListed = 50

// NotifiedKey names one key of a bulk notification, masked.
type NotifiedKey struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Masked    string `json:"masked"`
	NewMasked string `json:"new_masked,omitempty"`
	// A reminder names each key's expiry and last use.
	ExpiresAt  time.Time `json:"expires_at,omitzero"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
}

// Due reports whether the mail still waits for delivery and its next
// attempt is at or before now.
func (n Notification) Due(now time.Time) bool {
	return n.State != MailSent && !n.NextAttemptAt.After(now)
}
