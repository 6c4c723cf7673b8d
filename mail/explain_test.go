package mail

import (
	"strings"
	"testing"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
)

func TestSMTPFailuresSayWhatToDoInsteadOfLibraryText(t *testing.T) {
	serverTLS, _ := testkit.SelfSignedTLS(t)
	for _, tc := range []struct {
		name string
		sink testkit.SMTPOptions
		cfg  Config
		want string
	}{
		{"no STARTTLS on a plain relay", testkit.SMTPOptions{}, Config{}, "does not offer STARTTLS; set KEYRACK_SMTP_TLS=none for a local relay"},
		{"implicit TLS against a plain server", testkit.SMTPOptions{}, Config{TLS: TLSImplicit}, "does not speak TLS from the first byte; set KEYRACK_SMTP_TLS=starttls"},
		{"login against a server without AUTH", testkit.SMTPOptions{}, Config{TLS: TLSNone, User: "mailer", Password: "s3cret"}, "unset KEYRACK_SMTP_USER"},
		{"untrusted certificate", testkit.SMTPOptions{TLS: serverTLS}, Config{}, "add its CA to the system's trust store"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, clk, _ := openStore(t)
			sk := testkit.StartSMTPSink(t, tc.sink)
			tc.cfg.Addr = sk.Addr
			w := newWorker(t, st, tc.cfg, clk)
			if _, _, err := st.Create("ada", "ci", model.AllPermissions()); err != nil {
				t.Fatal(err)
			}
			err := deliverNow(w)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("DeliverNow = %v, want %q", err, tc.want)
			}
			left, _ := st.PendingMails()
			if len(left) != 1 || !strings.Contains(left[0].LastError, tc.want) {
				t.Fatalf("outbox entry %+v, want its error to say %q", left, tc.want)
			}
			for _, library := range []string{"STARTTLS mode set to", "TLSMandatory", "smtp:", "failed to", "x509:", "tls:"} {
				if strings.Contains(left[0].LastError, library) {
					t.Errorf("error %q holds library text %q", left[0].LastError, library)
				}
			}
		})
	}
}
