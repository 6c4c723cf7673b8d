package mail

import (
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// claim keeps the mails of due (and their messages) that this worker
// could claim for the time a pass may take to send them. Another worker's
// claim lapses by then at the latest: the next pass is due at that time.
func (w *Worker) claim(due []model.Notification, msgs []*gomail.Msg, now time.Time, out *outcome) ([]model.Notification, []*gomail.Msg, error) {
	if len(due) == 0 {
		return nil, nil, nil
	}
	ids := make([]string, len(due))
	for i, n := range due {
		ids[i] = n.ID
	}
	until := now.Add(claimHold * w.cfg.Timeout)
	claimed, err := w.st.ClaimMails(ids, w.claimer, until)
	if err != nil {
		return nil, nil, err
	}
	won := make(map[string]bool, len(claimed))
	for _, id := range claimed {
		won[id] = true
	}
	var keptDue []model.Notification
	var keptMsgs []*gomail.Msg
	for i, n := range due {
		if won[n.ID] {
			keptDue, keptMsgs = append(keptDue, n), append(keptMsgs, msgs[i])
		} else {
			out.next = clock.Earliest(out.next, until)
		}
	}
	return keptDue, keptMsgs, nil
}

// claimHold is how many connection timeouts a claim lasts: a pass sends
// over one connection, each command bounded by the timeout.
const claimHold = 4
