package model

import (
	"errors"
	"io/fs"
	"net/netip"
	"strings"
	"testing"
	"time"
)

const testKey2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIByZB8LaKgetTbk9Zd2qHOdUthc3sbyhaMs53w540svw"

func TestParseAuthorizedKeyReadsTheOptionsKeyrackHonours(t *testing.T) {
	k, err := ParseAuthorizedKey(`from="10.0.0.0/8,!10.9.9.9",no-pty,expiry-time="20270102Z" ` + testKey + " ada@laptop")
	if err != nil {
		t.Fatal(err)
	}
	if !k.NoPTY || len(k.From) != 2 || !k.Expires.Equal(time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("parsed %+v", k)
	}
	if want := `from="10.0.0.0/8,!10.9.9.9",no-pty,expiry-time="20270102Z" ` + testKey; k.Line != want {
		t.Errorf("line = %q, want %q (options kept, comment dropped)", k.Line, want)
	}
	if r, err := ParseAuthorizedKey("restrict " + testKey); err != nil || !r.NoPTY {
		t.Errorf("restrict: %+v, %v; want no-pty", r, err)
	}
	if h, err := ParseAuthorizedKey("no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc " + testKey); err != nil || h.NoPTY {
		t.Errorf("forwarding refusals: %+v, %v; want accepted (keyrack never forwards)", h, err)
	}
}

func TestParseAuthorizedKeyRefusesOtherOptionsByName(t *testing.T) {
	for opt, want := range map[string]string{
		`command="/bin/false"`:              `"command"`,
		`permitopen="host:80"`:              `"permitopen"`,
		`environment="A=B"`:                 `"environment"`,
		`cert-authority`:                    `"cert-authority"`,
		`pty`:                               `"pty"`,
		`from="db.example.com"`:             "host name",
		`from="10.1.2.3/8"`:                 "host bits",
		`from="10.0.0.0/99"`:                "not a CIDR",
		`from=""`:                           "empty pattern",
		`expiry-time="2027"`:                "YYYYMMDD",
		`expiry-time="20271399"`:            "YYYYMMDD",
		`no-pty="yes"`:                      `"no-pty"`,
		`from="10.9.9.9",command="/bin/sh"`: `"command"`,
	} {
		_, err := ParseAuthorizedKey(opt + " " + testKey)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming %s", opt, err, want)
		}
	}
}

func TestAllowsFromFollowsOpenSSHPatterns(t *testing.T) {
	for _, tc := range []struct {
		from string
		addr string
		want bool
	}{
		{"10.0.0.0/8", "127.0.0.1", false},
		{"10.0.0.0/8", "10.1.2.3", true},
		{"10.0.0.0/8,!10.9.9.9", "10.9.9.9", false},
		{"!10.9.9.9,10.0.0.0/8", "10.9.9.9", false},
		{"!10.9.9.9", "127.0.0.1", false}, // only negations: nothing matches positively
		{"127.0.0.*", "127.0.0.1", true},
		{"127.0.0.?", "127.0.0.12", false},
		{"*", "::1", true},
		{"::1", "::1", true},
		{"fd00::/8", "fd12::1", true},
		{"127.0.0.1", "::ffff:127.0.0.1", true}, // an IPv4 client on a dual-stack socket
	} {
		k, err := ParseAuthorizedKey(`from="` + tc.from + `" ` + testKey)
		if err != nil {
			t.Fatalf("%s: %v", tc.from, err)
		}
		if got := k.AllowsFrom(netip.MustParseAddr(tc.addr)); got != tc.want {
			t.Errorf("from=%q allows %s = %v, want %v", tc.from, tc.addr, got, tc.want)
		}
	}
	if k, _ := ParseAuthorizedKey(testKey); !k.AllowsFrom(netip.MustParseAddr("203.0.113.9")) {
		t.Error("a key without from= is refused")
	}
}

func TestExpiryTimeLayouts(t *testing.T) {
	for v, want := range map[string]time.Time{
		"20270102Z":       time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC),
		"202701021530Z":   time.Date(2027, 1, 2, 15, 30, 0, 0, time.UTC),
		"20270102153045Z": time.Date(2027, 1, 2, 15, 30, 45, 0, time.UTC),
		"20270102":        time.Date(2027, 1, 2, 0, 0, 0, 0, time.Local),
	} {
		k, err := ParseAuthorizedKey(`expiry-time="` + v + `" ` + testKey)
		if err != nil || !k.Expires.Equal(want) {
			t.Errorf("%s: %v, %v; want %v", v, k.Expires, err, want)
		}
		if k.ExpiredAt(want.Add(-time.Second)) || !k.ExpiredAt(want) {
			t.Errorf("%s: ExpiredAt wrong around %v", v, want)
		}
	}
}

func TestReadSSHKeysTakesAKeyOrAFileOfKeys(t *testing.T) {
	files := map[string]string{
		"keys.pub":  "# admins\n\n" + testKey + " ada\nno-pty " + testKey2 + "\n",
		"empty.pub": "# nothing\n",
		"bad.pub":   testKey + "\n" + `command="x" ` + testKey2 + "\n",
		"secret":    "kr_not_a_key_and_not_to_be_echoed",
	}
	read := func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, fs.ErrNotExist
	}
	if ks, err := ReadSSHKeys(testKey, nil); err != nil || len(ks) != 1 {
		t.Errorf("a key: %v, %v", ks, err)
	}
	if ks, err := ReadSSHKeys("keys.pub", read); err != nil || len(ks) != 2 || !ks[1].NoPTY {
		t.Errorf("a file: %+v, %v", ks, err)
	}
	for arg, want := range map[string]string{
		"empty.pub":        "holds no SSH public key",
		"bad.pub":          `line 2: SSH key SHA256:`,
		"secret":           "line 1: invalid SSH public key",
		"missing.pub":      "neither an SSH public key nor a readable file",
		"ssh-ed25519 AAAA": "invalid SSH public key",
	} {
		_, err := ReadSSHKeys(arg, read)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "kr_not") {
			t.Errorf("%s: error %v, want %q and nothing of the file", arg, err, want)
		}
	}
	if _, err := ReadSSHKeys("keys.pub", nil); err == nil {
		t.Error("a path was read without a readFile (over SSH)")
	}
	if _, err := ReadSSHKeys("keys.pub", func(string) ([]byte, error) { return nil, errors.New("permission denied") }); err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("unreadable file: %v", err)
	}
}
