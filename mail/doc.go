// Package mail turns outbox notifications into messages and delivers them
// over SMTP. Storage writes each notification in the transaction of the
// operation that causes it; the Worker sends what is due, keeps the last
// error on the entry, and retries with backoff until the server accepts it.
package mail
