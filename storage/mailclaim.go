package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
)

// ClaimMails reserves the mails ids for claimer until until, so that no
// other worker (another node, a CLI's mail send) sends them meanwhile, and
// returns those it claimed: the ones not sent and not claimed by another
// claimer whose claim still holds. Each claim reads its mail in its
// transaction, so two workers racing on etcd cannot both win; through a
// Fenced store a deposed leader claims nothing.
func (s *Store) ClaimMails(ids []string, claimer string, until time.Time) ([]string, error) {
	won := make([]bool, len(ids)) // by index: a retried transaction assigns again
	err := s.chunked(len(ids), func(w *wtx, i int) error {
		won[i] = false
		seq, err := mailSeq(ids[i])
		if err != nil {
			return err
		}
		var n model.Notification
		found, err := getRecord(w.tx, bucketOutbox, encodeUint(seq), &n)
		if err != nil || !found || n.ID != ids[i] || n.State == model.MailSent {
			return err
		}
		if n.ClaimedBy != claimer && n.ClaimedUntil.After(w.now) {
			return nil
		}
		n.ClaimedBy, n.ClaimedUntil = claimer, until
		won[i] = true
		return putRecord(w.tx, bucketOutbox, encodeUint(seq), n)
	})
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	var claimed []string
	for i, ok := range won {
		if ok {
			claimed = append(claimed, ids[i])
		}
	}
	return claimed, nil
}
