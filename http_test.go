package main

import (
	"bytes"
	"log/slog"
	"net"
	"strings"
	"testing"
)

func TestOnlyANonLoopbackHTTPAddressIsWarnedAbout(t *testing.T) {
	for addr, warned := range map[*net.TCPAddr]bool{
		{IP: net.IPv4(127, 0, 0, 1), Port: 8080}: false,
		{IP: net.IPv6loopback, Port: 8080}:       false,
		{IP: net.IPv4zero, Port: 8080}:           true,
		{IP: net.IPv4(10, 0, 0, 5), Port: 8080}:  true,
	} {
		var logs bytes.Buffer
		warnIfExposed(addr, slog.New(slog.NewTextHandler(&logs, nil)))
		if got := strings.Count(logs.String(), "level=WARN"); got != map[bool]int{false: 0, true: 1}[warned] {
			t.Errorf("%s: %d warnings:\n%s", addr, got, logs.String())
		}
	}
}
