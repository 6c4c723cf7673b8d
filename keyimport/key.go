package keyimport

import (
	"errors"
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// key turns a parsed line into a key to store.
func (l line) key(format Format) (storage.NewKey, error) {
	k := storage.NewKey{Permissions: model.AllPermissions()}
	if l.Name != nil {
		k.Name = *l.Name
	}
	if l.Permissions != nil {
		k.Permissions = *l.Permissions
	}
	var err error
	switch format {
	case Lago:
		if l.Value == nil {
			return k, errors.New("no value (the Lago token)")
		}
		if k.Token, err = model.ParseLagoToken(*l.Value); err != nil {
			return k, errors.New("value is not a Lago token (a UUID)")
		}
		for _, t := range []struct {
			field string
			src   *string
			dst   *time.Time
		}{{"created_at", l.CreatedAt, &k.CreatedAt}, {"last_used_at", l.LastUsedAt, &k.LastUsedAt}, {"expires_at", l.ExpiresAt, &k.ExpiresAt}} {
			if *t.dst, err = parseTime(t.src); err != nil {
				return k, fmt.Errorf("%s: %w", t.field, err)
			}
		}
	case Keyrack:
		if l.Value != nil {
			return k, errors.New("a value field (a Lago token) in a keyrack file: use --format lago")
		}
		if l.Token != nil {
			if k.Token, err = model.ParseToken(*l.Token); err != nil {
				return k, errors.New("token is not a valid keyrack token (kr_, 39 characters, checksum)")
			}
		}
	}
	return k, nil
}

// timeLayouts are the forms Lago's exports use: RFC 3339 (JSON) and SQL's
// "2024-05-01 10:00:00.123456" (taken as UTC).
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"}

func parseTime(s *string) (time.Time, error) {
	if s == nil || *s == "" {
		return time.Time{}, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, *s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("not a time (RFC 3339 or 2006-01-02 15:04:05)")
}
