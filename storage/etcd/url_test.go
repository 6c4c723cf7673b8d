package etcd_test

import (
	"slices"
	"testing"

	"github.com/keyrack/keyrack/storage/etcd"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		in, prefix string
		endpoints  []string
	}{
		{"etcd://127.0.0.1:2379", "/keyrack", []string{"127.0.0.1:2379"}},
		{"etcd://a:1,b:2,[::1]:3/team/keys/", "/team/keys", []string{"a:1", "b:2", "[::1]:3"}},
	}
	for _, c := range cases {
		eps, prefix, err := etcd.ParseURL(c.in)
		if err != nil || prefix != c.prefix || !slices.Equal(eps, c.endpoints) {
			t.Errorf("ParseURL(%q) = %v, %q, %v", c.in, eps, prefix, err)
		}
	}
	for _, bad := range []string{"etcd://", "etcd://host", "etcd://a:1,,b:2", "http://a:1", "etcd://:2379"} {
		if _, _, err := etcd.ParseURL(bad); err == nil {
			t.Errorf("ParseURL(%q) accepted", bad)
		}
	}
}
