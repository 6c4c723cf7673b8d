package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/keyrack/keyrack/model"
)

// auditHead is how an audit record's JSON begins before its sequence
// number and time are known: they come first, so the rest (auditBody) can
// be encoded outside the transaction, as bulk creation does ahead of its
// chunks, and completed by putAudit.
const auditHead = `{"seq":0,"at":"0001-01-01T00:00:00Z"`

// auditBody encodes an audit record but for its sequence number and time.
func auditBody(actor, action string, k *model.Key, member, detail string) ([]byte, error) {
	e := auditRecord{AuditEntry: model.AuditEntry{Actor: actor, Action: action, Detail: detail}, Member: member}
	if k != nil {
		e.KeyID, e.KeyName = k.ID, k.Name
	}
	data, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte(auditHead)) {
		return nil, errors.New("audit record: unexpected encoding") // auditRecord's fields were reordered
	}
	return data[len(auditHead):], nil
}

// putAudit appends the audit record whose body auditBody encoded, with the
// next sequence number and the transaction's time; subscribers learn of
// it as an Event.
func (w *wtx) putAudit(body []byte) error {
	seq, err := w.tx.NextSequence(string(bucketAudit))
	if err != nil {
		return err
	}
	data := make([]byte, 0, 64+len(body))
	data = append(data, `{"seq":`...)
	data = strconv.AppendUint(data, seq, 10)
	data = append(data, `,"at":"`...)
	data = w.now.AppendFormat(data, time.RFC3339Nano)
	data = append(append(data, '"'), body...)
	return w.tx.Put(string(bucketAudit), encodeUint(seq), data)
}
