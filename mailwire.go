package main

import (
	"context"
	"log/slog"

	"github.com/keyrack/keyrack/cli"
	"github.com/keyrack/keyrack/storage"
)

// mailer returns what delivers a command's mail before it exits.
func mailer(st *storage.Store) cli.Mailer { return nil }

// startMail runs the mail worker until ctx ends.
func startMail(ctx context.Context, st *storage.Store, log *slog.Logger) {}
