package cli

import (
	"time"

	"github.com/keyrack/keyrack/model"
)

// usageJSON is keys usage --json.
type usageJSON struct {
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Since     time.Time       `json:"since"`
	Allowed   uint32          `json:"allowed"`
	Refused   uint32          `json:"refused"`
	Resources []modeCountJSON `json:"resources"`
	Hours     []hourJSON      `json:"hours"`
}

type modeCountJSON struct {
	Resource string `json:"resource"`
	Mode     string `json:"mode"`
	Allowed  uint32 `json:"allowed"`
	Refused  uint32 `json:"refused"`
}

type hourJSON struct {
	Hour    time.Time `json:"hour"`
	Allowed uint32    `json:"allowed"`
	Refused uint32    `json:"refused"`
}

func usageJSONOf(k model.Key, u model.Usage) usageJSON {
	out := usageJSON{ID: k.ID, Name: k.Name, Since: u.Since.UTC(), Allowed: u.Allowed, Refused: u.Refused,
		Resources: []modeCountJSON{}, Hours: []hourJSON{}}
	for r := range u.Modes {
		for m, c := range u.Modes[r] {
			if c != (model.ModeCount{}) {
				out.Resources = append(out.Resources, modeCountJSON{model.Resource(r).String(), model.ModeAt(m).String(), c.Allowed, c.Refused})
			}
		}
	}
	for _, h := range u.Hours {
		out.Hours = append(out.Hours, hourJSON{h.Hour, h.Allowed, h.Refused})
	}
	return out
}
