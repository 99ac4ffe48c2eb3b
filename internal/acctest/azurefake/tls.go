package azurefake

import (
	"crypto/tls"
	"crypto/x509"
	"net/http/httptest"
	"sync"
)

var (
	tlsOnce sync.Once
	tlsPool *x509.CertPool
)

// testTLS trusts httptest's certificate, which every TLS test server here presents.
func testTLS() *tls.Config {
	tlsOnce.Do(func() {
		srv := httptest.NewUnstartedServer(nil)
		srv.StartTLS()
		tlsPool = x509.NewCertPool()
		tlsPool.AddCert(srv.Certificate())
		srv.Close()
	})
	return &tls.Config{RootCAs: tlsPool, MinVersion: tls.VersionTLS12}
}
