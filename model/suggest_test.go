package model

import (
	"strings"
	"testing"
)

func TestUnknownResourceSuggestsTheClosestName(t *testing.T) {
	for typed, want := range map[string]string{
		"customers":        `unknown resource "customers"; did you mean "customer"?`,
		"invoices":         `unknown resource "invoices"; did you mean "invoice"?`,
		"webhook-endpoint": `unknown resource "webhook-endpoint"; did you mean "webhook_endpoint"?`,
		"costumer":         `unknown resource "costumer"; did you mean "customer"?`,
		"zzzz":             `unknown resource "zzzz"`,
		"x":                `unknown resource "x"`,
	} {
		_, err := LookupResource(typed)
		if err == nil || err.Error() != want {
			t.Errorf("LookupResource(%q) = %v, want %q", typed, err, want)
		}
	}
}

func TestPermissionSpecWithATypoSuggests(t *testing.T) {
	_, err := ParsePermissions("customers=read,invoice=raed")
	if err == nil || !strings.Contains(err.Error(), `did you mean "customer"?`) {
		t.Errorf("ParsePermissions: %v", err)
	}
	_, err = ParsePermissions("invoice=raed")
	if err == nil || !strings.Contains(err.Error(), `did you mean "read"?`) {
		t.Errorf("ParsePermissions: %v", err)
	}
}
