package cli

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// etcdTLS builds the connection's TLS configuration from --etcd-ca,
// --etcd-cert and --etcd-key; nil (plain connection) when none is given.
func (a *app) etcdTLS() (*tls.Config, error) {
	if a.etcdCA == "" && a.etcdCert == "" && a.etcdKey == "" {
		return nil, nil
	}
	if (a.etcdCert == "") != (a.etcdKey == "") {
		return nil, usagef("--etcd-cert and --etcd-key go together: a client certificate and its private key")
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if a.etcdCA != "" {
		pem, err := os.ReadFile(a.etcdCA)
		if err != nil {
			return nil, fmt.Errorf("--etcd-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--etcd-ca %s: no PEM certificate in it", a.etcdCA)
		}
		cfg.RootCAs = pool
	}
	if a.etcdCert != "" {
		cert, err := tls.LoadX509KeyPair(a.etcdCert, a.etcdKey)
		if err != nil {
			return nil, fmt.Errorf("--etcd-cert %s, --etcd-key %s: %w", a.etcdCert, a.etcdKey, err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}
