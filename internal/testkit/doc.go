// Package testkit holds what tests across keyrack share: finding the
// external programs end-to-end tests run (nginx, Caddy, etcd, tmux, ssh),
// free loopback ports, waiting for a port, running a program for the length
// of a test, a real etcd cluster on loopback, and an SMTP server that keeps
// what it receives (plain, or with STARTTLS, implicit TLS and a login,
// on a self-signed certificate) and can play an outage; self-signed
// certificates, as TLS configurations or as PEM files; and, for tests of
// any package, a Buffer that goroutines write and read at once, and
// Eventually and Poll, which wait for a condition instead of sleeping.
package testkit
