// Package keyimport reads the JSON-lines files `keyrack keys import` takes:
// Lago's api_keys export (token in `value`) or keyrack's own form. It checks
// the form of every line; storage checks what depends on the store.
// Errors name the line, never a token.
package keyimport
