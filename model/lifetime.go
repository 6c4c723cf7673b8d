package model

import "time"

// Bounds of a key's lifetime (keys create --expires, keys expires) and of
// the lifetime policy.
const (
	MinLifetime = time.Minute
	MaxLifetime = 3650 * Day
)
