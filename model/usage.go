package model

import "time"

// UsageRetention is how long per-key usage is kept, in hour buckets.
const UsageRetention = 30 * Day

// ModeCount counts the requests for one mode of one resource.
type ModeCount struct{ Allowed, Refused uint32 }

// UsageHour is what /auth counted for one key in one hour: every request,
// allowed or refused, and those that named a resource by resource and mode.
type UsageHour struct {
	KeyID   string
	Hour    time.Time // the hour's start, UTC
	Allowed uint32
	Refused uint32
	Modes   [ResourceCount][2]ModeCount // [resource][0 read, 1 write]
}

// Count adds one request: on resource r in mode m when mapped, allowed or not.
func (u *UsageHour) Count(r Resource, m Access, mapped, allowed bool) {
	var c *ModeCount
	if mapped && int(r) < ResourceCount {
		c = &u.Modes[r][modeIndex(m)]
	}
	if allowed {
		u.Allowed++
		if c != nil {
			c.Allowed++
		}
		return
	}
	u.Refused++
	if c != nil {
		c.Refused++
	}
}

// Add adds o's counts to u.
func (u *UsageHour) Add(o *UsageHour) {
	u.Allowed += o.Allowed
	u.Refused += o.Refused
	for r := range u.Modes {
		for m := range u.Modes[r] {
			u.Modes[r][m].Allowed += o.Modes[r][m].Allowed
			u.Modes[r][m].Refused += o.Modes[r][m].Refused
		}
	}
}

func modeIndex(m Access) int {
	if m == Write {
		return 1
	}
	return 0
}

// ModeAt is the mode of a Modes index.
func ModeAt(i int) Access {
	if i == 1 {
		return Write
	}
	return Read
}
