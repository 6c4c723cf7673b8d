package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/keyrack/keyrack/mail"
	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

// sendDeadline bounds `mail send`, which the user asked for and waits on.
const sendDeadline = 30 * time.Second

// mailJSON is an outbox entry as --json prints it: the stored entry and
// its subject.
type mailJSON struct {
	model.Notification
	Subject string `json:"subject"`
}

// mailCommand is `mail` (the outbox) and `mail send`.
func (a *app) mailCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "mail [--json]",
		Short: "list the notification outbox: sent, pending and failed mail",
		Args:  subcommandArgs,
		RunE: func(*cobra.Command, []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			out, err := st.Outbox(0)
			if err != nil {
				return err
			}
			if asJSON {
				list := make([]mailJSON, len(out))
				for i, n := range out {
					list[i] = mailJSON{Notification: n, Subject: mail.Subject(n)}
				}
				return writeList(a.env.Stdout, list)
			}
			if len(out) == 0 {
				_, err := fmt.Fprintln(a.env.Stdout, "the outbox is empty (mail goes to members with role admin)")
				return err
			}
			tw := a.table("WHEN\tSTATE\tTO\tSUBJECT\tKEY\tATTEMPTS\tLAST ERROR")
			for _, n := range out {
				state := string(n.State)
				if n.State == model.MailSent {
					state = "sent " + model.FormatTime(n.SentAt)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", model.FormatTime(n.At), state, model.Printable(strings.Join(n.Recipients, ", ")),
					mail.Subject(n), keyLabel(n), n.Attempts, model.Printable(orDash(n.LastError)))
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.AddCommand(a.mailSendCommand())
	return c
}

func (a *app) mailSendCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "send",
		Short: "deliver pending mail now",
		Args:  exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			m := a.mailer()
			if m == nil {
				return errors.New("mail cannot be sent from here (no mail worker in this process); it stays in the outbox")
			}
			before := st.PendingMail()
			if before == 0 {
				_, err := fmt.Fprintln(a.env.Stdout, "no mail waiting")
				return err
			}
			ctx, cancel := context.WithTimeout(context.Background(), sendDeadline)
			defer cancel()
			if err := m.DeliverNow(ctx); err != nil {
				return fmt.Errorf("mail stays in the outbox: %w", err)
			}
			_, err = fmt.Fprintf(a.env.Stdout, "delivered %s\n", model.Count(before, "mail", "mails"))
			return err
		},
	}
}

func keyLabel(n model.Notification) string {
	name := model.Printable(n.KeyName)
	if name == "" {
		name = "(unnamed)"
	}
	return name + " " + n.KeyMasked
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
