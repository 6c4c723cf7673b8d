package etcd

import (
	"fmt"
	"net"
	"strings"
)

// Scheme starts a --db value that names an etcd cluster.
const Scheme = "etcd://"

// IsURL reports whether a --db value names an etcd cluster.
func IsURL(db string) bool { return strings.HasPrefix(db, Scheme) }

// ParseURL reads etcd://HOST:PORT[,HOST:PORT…][/PREFIX] into endpoints and
// a key prefix (default "/keyrack").
func ParseURL(db string) (endpoints []string, prefix string, err error) {
	rest, ok := strings.CutPrefix(db, Scheme)
	if !ok {
		return nil, "", fmt.Errorf("etcd URL must start with %s", Scheme)
	}
	hosts, path, _ := strings.Cut(rest, "/")
	for _, h := range strings.Split(hosts, ",") {
		host, port, err := net.SplitHostPort(h)
		if err != nil || host == "" || port == "" {
			return nil, "", fmt.Errorf("etcd URL: %q is not HOST:PORT", h)
		}
		endpoints = append(endpoints, h)
	}
	prefix = "/keyrack"
	if path = strings.Trim(path, "/"); path != "" {
		prefix = "/" + path
	}
	return endpoints, prefix, nil
}
