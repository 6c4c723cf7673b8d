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
	claimed, err := s.changeClaims(ids, func(n *model.Notification, now time.Time) bool {
		if n.ClaimedBy != claimer && n.ClaimedUntil.After(now) {
			return false
		}
		n.ClaimedBy, n.ClaimedUntil = claimer, until
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	return claimed, nil
}

// ReleaseMails gives up claimer's claims on the mails ids it did not send
// (a pass interrupted by a shutdown), so that another worker sends them at
// once rather than when the claims lapse.
func (s *Store) ReleaseMails(ids []string, claimer string) error {
	_, err := s.changeClaims(ids, func(n *model.Notification, _ time.Time) bool {
		if n.ClaimedBy != claimer {
			return false
		}
		n.ClaimedBy, n.ClaimedUntil = "", time.Time{}
		return true
	})
	if err != nil {
		return fmt.Errorf("release mail: %w", err)
	}
	return nil
}

// changeClaims applies change to each unsent mail of ids, each read in the
// transaction that writes it, and returns those change accepted.
func (s *Store) changeClaims(ids []string, change func(n *model.Notification, now time.Time) bool) ([]string, error) {
	won := make([]bool, len(ids)) // by index: a retried transaction assigns again
	err := s.chunked(len(ids), func(w *wtx, i int) error {
		won[i] = false
		seq, err := mailSeq(ids[i])
		if err != nil {
			return err
		}
		var n model.Notification
		found, err := getRecord(w.tx, bucketOutbox, encodeUint(seq), &n)
		if err != nil || !found || n.ID != ids[i] || n.State == model.MailSent || !change(&n, w.now) {
			return err
		}
		won[i] = true
		return putRecord(w.tx, bucketOutbox, encodeUint(seq), n)
	})
	var changed []string
	for i, ok := range won {
		if ok {
			changed = append(changed, ids[i])
		}
	}
	return changed, err
}
