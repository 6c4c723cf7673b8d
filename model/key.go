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

// The states of a key. Expired keys are removed, so lists hold only the first two.
const (
	StatusActive   Status = "active"
	StatusExpiring Status = "expiring"
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
}

// NewKeyID draws a 12-character id of [a-z0-9] from r.
func NewKeyID(r io.Reader) (string, error) {
	id, err := randomString(r, idAlphabet, idLen)
	if err != nil {
		return "", fmt.Errorf("generate key id: %w", err)
	}
	return id, nil
}

// Masked returns the masked token: kr_•••••••• and the last four characters.
func (k Key) Masked() string { return Mask(k.Last4) }

// Status tells whether the key is usable at now.
func (k Key) Status(now time.Time) Status {
	switch {
	case k.ExpiresAt.IsZero():
		return StatusActive
	case now.Before(k.ExpiresAt):
		return StatusExpiring
	}
	return StatusExpired
}

// UsableAt reports whether the key authenticates at now.
func (k Key) UsableAt(now time.Time) bool { return k.Status(now) != StatusExpired }

// DisplayName is the name for screens and mail: printable, or "(unnamed)".
func (k Key) DisplayName() string {
	if k.Name == "" {
		return "(unnamed)"
	}
	return Printable(k.Name)
}
