package model

import (
	"encoding/json"
	"strings"
	"testing"
)

func mustResource(t *testing.T, name string) Resource {
	t.Helper()
	r, err := LookupResource(name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// grants builds permissions from resource → access, for expectations.
func grants(t *testing.T, m map[string]Access) Permissions {
	t.Helper()
	var p Permissions
	for name, a := range m {
		p[mustResource(t, name)] = a
	}
	return p
}

var readOnlyResources = []string{"activity_log", "analytic", "api_log", "customer_usage", "security_log"}

func TestThereAre38ResourcesAndFiveAreReadOnly(t *testing.T) {
	if ResourceCount != 38 || len(Resources()) != 38 {
		t.Fatalf("ResourceCount = %d, Resources() has %d, want 38", ResourceCount, len(Resources()))
	}
	var ro []string
	for _, r := range Resources() {
		if r.ReadOnly() {
			ro = append(ro, r.String())
		}
		back, err := LookupResource(r.String())
		if err != nil || back != r {
			t.Errorf("LookupResource(%q) = %v, %v", r, back, err)
		}
	}
	if strings.Join(ro, " ") != strings.Join(readOnlyResources, " ") {
		t.Errorf("read-only resources = %v, want %v", ro, readOnlyResources)
	}
}

func TestParsePermissionsAccepts(t *testing.T) {
	tests := []struct {
		spec string
		want Permissions
	}{
		{"all", AllPermissions()},
		{" all ", AllPermissions()},
		{"none", Permissions{}},
		{"customer=read", grants(t, map[string]Access{"customer": Read})},
		{"customer=write", grants(t, map[string]Access{"customer": Write})},
		{"invoice=read+write", grants(t, map[string]Access{"invoice": Read | Write})},
		{"invoice=write+read", grants(t, map[string]Access{"invoice": Read | Write})},
		{"customer=read,invoice=read+write", grants(t, map[string]Access{"customer": Read, "invoice": Read | Write})},
		{"customer=read, invoice=write", grants(t, map[string]Access{"customer": Read, "invoice": Write})},
		{"customer = read + write", grants(t, map[string]Access{"customer": Read | Write})},
		{"customer=read,customer=read", grants(t, map[string]Access{"customer": Read})},
		{"customer=read,customer=write", grants(t, map[string]Access{"customer": Read | Write})},
		{"customer=read+read", grants(t, map[string]Access{"customer": Read})},
		{"activity_log=read,security_log=read", grants(t, map[string]Access{"activity_log": Read, "security_log": Read})},
		{"plan_rate_card=read+write", grants(t, map[string]Access{"plan_rate_card": Read | Write})},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParsePermissions(tt.spec)
			if err != nil {
				t.Fatalf("ParsePermissions(%q): %v", tt.spec, err)
			}
			if got != tt.want {
				t.Errorf("ParsePermissions(%q) = %s, want %s", tt.spec, got, tt.want)
			}
		})
	}
}

func TestParsePermissionsRefuses(t *testing.T) {
	tests := []struct {
		name, spec, wantErr string
	}{
		{"empty", "", "empty permission spec"},
		{"blank", "   ", "empty permission spec"},
		{"unknown resource", "customers=read", `unknown resource "customers"`},
		{"unknown mode", "customer=admin", `unknown mode "admin"`},
		{"upper-case mode", "customer=READ", `unknown mode "READ"`},
		{"missing mode", "customer=", `unknown mode ""`},
		{"missing resource", "=read", `unknown resource ""`},
		{"no equals sign", "customer", "want resource=read"},
		{"trailing comma", "customer=read,", "want resource=read"},
		{"dangling plus", "customer=read+", `unknown mode ""`},
		{"garbage", "!!!", "want resource=read"},
		{"all mixed with a list", "all,customer=read", "want resource=read"},
		{"escape sequence", "\x1b[2J=read", "unknown resource"},
		{"write on activity_log", "activity_log=write", "activity_log is read-only"},
		{"write on analytic", "analytic=read+write", "analytic is read-only"},
		{"write on api_log", "api_log=write", "api_log is read-only"},
		{"write on customer_usage", "customer_usage=read+write", "customer_usage is read-only"},
		{"write on security_log", "security_log=write", "security_log is read-only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePermissions(tt.spec)
			if err == nil {
				t.Fatalf("ParsePermissions(%q) = %s, want an error", tt.spec, p)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParsePermissions(%q) error %q, want it to mention %q", tt.spec, err, tt.wantErr)
			}
			if strings.ContainsRune(err.Error(), '\x1b') {
				t.Errorf("error %q carries an escape character to the terminal", err)
			}
		})
	}
}

func TestAllPermissionsOffersNoWriteOnReadOnlyResources(t *testing.T) {
	all := AllPermissions()
	for _, r := range Resources() {
		want := Read | Write
		if r.ReadOnly() {
			want = Read
		}
		if all[r] != want {
			t.Errorf("AllPermissions()[%s] = %s, want %s", r, all[r], want)
		}
	}
	granted, offered := all.Cells()
	if granted != offered || offered != 2*38-5 {
		t.Errorf("AllPermissions().Cells() = %d of %d, want 71 of 71", granted, offered)
	}
}

func samplePermissions(t *testing.T) []Permissions {
	var mixed Permissions
	for i, r := range Resources() {
		mixed[r] = Access(i%3) + 1 // read, write, read+write in turn
		if r.ReadOnly() {
			mixed[r] = Read
		}
	}
	almostAll := AllPermissions()
	almostAll[mustResource(t, "invoice")] = Read
	return []Permissions{
		AllPermissions(),
		{},
		grants(t, map[string]Access{"customer": Read}),
		grants(t, map[string]Access{"customer": Write, "invoice": Read | Write, "security_log": Read}),
		mixed,
		almostAll,
	}
}

func TestPermissionsStringRoundTrips(t *testing.T) {
	for _, p := range samplePermissions(t) {
		spec := p.String()
		back, err := ParsePermissions(spec)
		if err != nil {
			t.Fatalf("ParsePermissions(%q): %v", spec, err)
		}
		if back != p {
			t.Errorf("%q parses back to %q", spec, back.String())
		}
	}
	if got := AllPermissions().String(); got != "all" {
		t.Errorf("AllPermissions().String() = %q, want all", got)
	}
	if got := (Permissions{}).String(); got != "none" {
		t.Errorf("Permissions{}.String() = %q, want none", got)
	}
	if got := grants(t, map[string]Access{"customer": Read, "invoice": Read | Write}).String(); got != "customer=read,invoice=read+write" {
		t.Errorf("String() = %q", got)
	}
}

func TestPermissionsJSONRoundTrips(t *testing.T) {
	for _, p := range samplePermissions(t) {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back Permissions
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("Unmarshal(%s): %v", b, err)
		}
		if back != p {
			t.Errorf("%s decodes to %s, want %s", b, back, p)
		}
	}
	b, _ := json.Marshal(grants(t, map[string]Access{"customer": Read, "invoice": Read | Write}))
	if string(b) != `{"customer":["read"],"invoice":["read","write"]}` {
		t.Errorf("json = %s", b)
	}
	if b, _ := json.Marshal(Permissions{}); string(b) != `{}` {
		t.Errorf("no permission encodes as %s, want {}", b)
	}
}

func TestPermissionsJSONRefusesUnknownNamesAndReadOnlyWrites(t *testing.T) {
	for _, in := range []string{
		`{"customers":["read"]}`,
		`{"customer":["admin"]}`,
		`{"api_log":["write"]}`,
		`{"customer":"read"}`,
		`[]`,
	} {
		var p Permissions
		if err := json.Unmarshal([]byte(in), &p); err == nil {
			t.Errorf("Unmarshal(%s) = %s, want an error", in, p)
		}
	}
}

func TestPermissionsSummary(t *testing.T) {
	tests := []struct {
		name string
		p    Permissions
		want string
	}{
		{"all", AllPermissions(), "all (38 of 38 resources)"},
		{"none", Permissions{}, "none"},
		{"read only", grants(t, map[string]Access{"customer": Read, "invoice": Read}), "read-only: 2 of 38 resources"},
		{"mixed", grants(t, map[string]Access{"customer": Read, "invoice": Read | Write, "plan": Write}), "read 2, write 2 of 38 resources"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Summary(); got != tt.want {
				t.Errorf("Summary() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAllowsGrantAndToggle(t *testing.T) {
	customer, apiLog := mustResource(t, "customer"), mustResource(t, "api_log")
	var p Permissions
	if p.Allows(customer, Read) {
		t.Error("an empty set allows reading")
	}
	if err := p.Grant(customer, Read); err != nil {
		t.Fatal(err)
	}
	if !p.Allows(customer, Read) || p.Allows(customer, Write) || p.Allows(customer, Read|Write) {
		t.Errorf("after granting read: %s", p)
	}
	if p.Allows(customer, 0) {
		t.Error("mode 0 is allowed")
	}
	if err := p.Grant(apiLog, Write); err == nil {
		t.Error("Grant(api_log, write) succeeded")
	}
	p.Toggle(apiLog, Write)
	if p[apiLog] != 0 {
		t.Errorf("Toggle(api_log, write) gave %s", p[apiLog])
	}
	p.Toggle(customer, Write)
	p.Toggle(customer, Read)
	if p[customer] != Write {
		t.Errorf("toggling write on and read off gave %s", p[customer])
	}
	if p.Allows(Resource(ResourceCount), Read) {
		t.Error("an out-of-range resource is allowed")
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Access{"read": Read, "write": Write} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "Read", "rw", "read+write", "all"} {
		if _, err := ParseMode(in); err == nil {
			t.Errorf("ParseMode(%q) succeeded", in)
		}
	}
}

func TestPermissionsJSONMatchesAMapEncoding(t *testing.T) {
	for seed := range 50 {
		var p Permissions
		for _, r := range Resources() {
			p.Toggle(r, Access((int(r)*7+seed*13)%4)&Read)
			if (int(r)+seed)%3 == 0 {
				p.Toggle(r, Write)
			}
		}
		m := map[string][]string{}
		for _, r := range Resources() {
			var modes []string
			if p[r]&Read != 0 {
				modes = append(modes, "read")
			}
			if p[r]&Write != 0 {
				modes = append(modes, "write")
			}
			if modes != nil {
				m[r.String()] = modes
			}
		}
		want, _ := json.Marshal(m)
		got, err := json.Marshal(p)
		if err != nil || string(got) != string(want) {
			t.Fatalf("seed %d:\n got %s\nwant %s", seed, got, want)
		}
	}
}
