package model

import (
	"fmt"
	"io"
	"time"
)

const (
	idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	idLen      = 12
)

// Status says whether a key can be used.
type Status string

// The states of a key. Expired keys are removed, so lists never hold them.
const (
	StatusActive   Status = "active"
	StatusExpiring Status = "expiring"
	StatusDisabled Status = "disabled"
	StatusExpired  Status = "expired"
)

// Key is an API key without its secret: the secret lives sealed in storage.
type Key struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Last4       string      `json:"last4"`
	Permissions Permissions `json:"permissions"`
	CreatedAt   time.Time   `json:"created_at"`
	CreatedBy   string      `json:"created_by"`
	LastUsedAt  time.Time   `json:"last_used_at,omitzero"`
	ExpiresAt   time.Time   `json:"expires_at,omitzero"`
	RotatedFrom string      `json:"rotated_from,omitempty"`
	ReplacedBy  string      `json:"replaced_by,omitempty"`
	// Disabled keys keep their secret and history but do not authenticate.
	Disabled bool `json:"disabled,omitempty"`
	// ExpirySetAt is when ExpiresAt was last set: reminders are for the
	// thresholds crossed after it, and an until-idle rotation counts
	// quiet time from it.
	ExpirySetAt time.Time `json:"expiry_set_at,omitzero"`
	// IdleRetire, when set, retires the key (an until-idle rotation's old
	// key) once it has not been seen for that long; ExpiresAt bounds it.
	IdleRetire time.Duration `json:"idle_retire,omitzero"`
	// Reminded is the smallest reminder threshold already mailed for the
	// current expiry (0: none).
	Reminded time.Duration `json:"reminded,omitzero"`
	// LagoToken says the token was imported from Lago: a UUID, which is
	// masked without keyrack's kr_ prefix.
	LagoToken bool `json:"lago_token,omitempty"`
}

// NewKeyID draws a 12-character id of [a-z0-9] from r.
func NewKeyID(r io.Reader) (string, error) {
	id, err := randomString(r, idAlphabet, idLen)
	if err != nil {
		return "", fmt.Errorf("generate key id: %w", err)
	}
	return id, nil
}

// Masked returns the masked token: kr_•••••••• and the last four
// characters, or for a token imported from Lago •••••••• and its last four.
func (k Key) Masked() string {
	if k.LagoToken {
		return MaskLago(k.Last4)
	}
	return Mask(k.Last4)
}

// Status tells whether the key is usable at now.
func (k Key) Status(now time.Time) Status {
	switch {
	case k.PastExpiry(now):
		return StatusExpired
	case k.Disabled:
		return StatusDisabled
	case k.ExpiresAt.IsZero():
		return StatusActive
	}
	return StatusExpiring
}

// PastExpiry reports whether the key's expiry has come: it is gone, even
// in the moment before the scheduler removes it.
func (k Key) PastExpiry(now time.Time) bool { return !k.ExpiresAt.IsZero() && !now.Before(k.ExpiresAt) }

// UsableAt reports whether the key authenticates at now.
func (k Key) UsableAt(now time.Time) bool { return !k.Disabled && !k.PastExpiry(now) }

// Rotated reports whether the key has a successor and is on its way out.
func (k Key) Rotated() bool { return k.ReplacedBy != "" }

// DisplayName is the name for screens and mail: printable, or "(unnamed)".
func (k Key) DisplayName() string {
	if k.Name == "" {
		return "(unnamed)"
	}
	return Printable(k.Name)
}
