package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/keyrack/keyrack/mail"
	"github.com/keyrack/keyrack/model"
)

// sendDeadline bounds `mail send`, which the user asked for and waits on.
const sendDeadline = 30 * time.Second

func init() {
	register("mail", command{"mail [--json]", "list the notification outbox: sent, pending and failed mail", mailList})
	register("mail send", command{"mail send", "deliver pending mail now", mailSend})
}

// mailJSON is an outbox entry as --json prints it: the stored entry and
// its subject.
type mailJSON struct {
	model.Notification
	Subject string `json:"subject"`
}

func mailList(env Env, args []string) error {
	fs := flag.NewFlagSet("mail", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	out, err := env.Store.Outbox(0)
	if err != nil {
		return err
	}
	if *asJSON {
		list := make([]mailJSON, len(out))
		for i, n := range out {
			list[i] = mailJSON{Notification: n, Subject: mail.Subject(n)}
		}
		return writeList(env.Stdout, list)
	}
	if len(out) == 0 {
		_, err := fmt.Fprintln(env.Stdout, "the outbox is empty (mail goes to members with role admin)")
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tSTATE\tTO\tSUBJECT\tKEY\tATTEMPTS\tLAST ERROR")
	for _, n := range out {
		state := string(n.State)
		if n.State == model.MailSent {
			state = "sent " + stamp(n.SentAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", stamp(n.At), state, model.Printable(strings.Join(n.Recipients, ", ")),
			mail.Subject(n), keyLabel(n), n.Attempts, model.Printable(orDash(n.LastError)))
	}
	return tw.Flush()
}

func mailSend(env Env, args []string) error {
	if _, err := parse(flag.NewFlagSet("mail send", flag.ContinueOnError), args, 0); err != nil {
		return err
	}
	if env.Mailer == nil {
		return errors.New("mail cannot be sent from here (no mail worker in this process); it stays in the outbox")
	}
	before, err := env.Store.Undelivered()
	if err != nil {
		return err
	}
	if len(before) == 0 {
		_, err := fmt.Fprintln(env.Stdout, "no mail waiting")
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), sendDeadline)
	defer cancel()
	if err := env.Mailer.DeliverNow(ctx); err != nil {
		return fmt.Errorf("mail stays in the outbox: %w", err)
	}
	_, err = fmt.Fprintf(env.Stdout, "delivered %d mail(s)\n", len(before))
	return err
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
