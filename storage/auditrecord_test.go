package storage

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

func TestAnAuditRecordCompletedInItsTransactionIsWhatJSONWouldEncode(t *testing.T) {
	s, clk := openTest(t)
	key := model.Key{ID: "abc123def456", Name: `<script>"é" & ünïcode</script>`}
	for _, at := range []time.Time{t0, t0.Add(123456789 * time.Nanosecond), t0.Add(time.Second)} {
		clk.Set(at)
		var seq uint64
		err := s.update(func(w *wtx) error {
			if err := w.appendAudit("ada@example.com", model.ActionCreate, &key, "", "detail with \"quotes\" and \x01"); err != nil {
				return err
			}
			var err error
			seq, err = w.tx.Sequence(string(bucketAudit))
			return err
		})
		must(t, err)
		var stored []byte
		must(t, s.read(func(tx kv.ReadTx) error {
			v, err := tx.Get(string(bucketAudit), encodeUint(seq))
			stored = append(stored, v...)
			return err
		}))
		want, _ := json.Marshal(auditRecord{AuditEntry: model.AuditEntry{Seq: seq, At: at, Actor: "ada@example.com", Action: model.ActionCreate,
			KeyID: key.ID, KeyName: key.Name, Detail: "detail with \"quotes\" and \x01"}})
		if string(stored) != string(want) {
			t.Errorf("at %s stored\n%s\nwant\n%s", at, stored, want)
		}
	}
}
