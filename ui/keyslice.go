package ui

import "github.com/keyrack/keyrack/model"

// keySlice is a keyList over a listed slice, put in display order: by
// creation, except that a rotation's new key follows the key it replaced.
type keySlice struct {
	keys []model.Key
	pos  map[string]int
}

func newKeySlice(listed []model.Key) *keySlice {
	byID := make(map[string]bool, len(listed))
	for _, k := range listed {
		byID[k.ID] = true
	}
	// A new key whose old key is still listed goes right after it; the
	// chain old → new → newer stays together.
	after := make(map[string]model.Key)
	s := &keySlice{keys: make([]model.Key, 0, len(listed)), pos: make(map[string]int, len(listed))}
	for _, k := range listed {
		if k.RotatedFrom != "" && byID[k.RotatedFrom] {
			after[k.RotatedFrom] = k
		}
	}
	var add func(k model.Key)
	add = func(k model.Key) {
		if _, done := s.pos[k.ID]; done {
			return
		}
		s.pos[k.ID] = len(s.keys)
		s.keys = append(s.keys, k)
		if next, ok := after[k.ID]; ok {
			add(next)
		}
	}
	for _, k := range listed {
		if k.RotatedFrom == "" || !byID[k.RotatedFrom] {
			add(k)
		}
	}
	for _, k := range listed {
		add(k) // what a broken chain (a cycle in a damaged database) left out
	}
	return s
}

func (s *keySlice) Len() int           { return len(s.keys) }
func (s *keySlice) At(i int) model.Key { return s.keys[i] }
func (s *keySlice) Find(id string) (int, bool) {
	i, ok := s.pos[id]
	return i, ok
}
