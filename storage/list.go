package storage

import "github.com/keyrack/keyrack/model"

// List returns every key in display order, copied out of a snapshot.
//
// Deprecated: use Keys, which costs O(1) instead of O(n).
func (s *Store) List() ([]model.Key, error) {
	sn, err := s.Keys()
	if err != nil {
		return nil, err
	}
	keys := make([]model.Key, 0, sn.Len())
	sn.Ascend(0, func(_ int, k model.Key) bool {
		keys = append(keys, k)
		return true
	})
	return keys, nil
}
