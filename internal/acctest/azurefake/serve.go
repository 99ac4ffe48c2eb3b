package azurefake

import (
	"encoding/pem"
	"fmt"
	"net"
	"net/http/httptest"
)

// Served is a Fake served on an address of the caller's choice (the local emulator's).
type Served struct {
	*Fake
	srv *httptest.Server
}

// Serve serves a Fake over TLS on addr (httptest's certificate: CertPEM, for SSL_CERT_FILE) until
// Stop.
func Serve(addr string, opts ...Option) (*Served, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("azurefake: listen %s: %w", addr, err)
	}
	f := newFake(opts...)
	srv := httptest.NewUnstartedServer(f)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.StartTLS()
	f.url = srv.URL
	return &Served{Fake: f, srv: srv}, nil
}

// CertPEM is the PEM of the server's certificate, which clients must trust.
func (s *Served) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw})
}

// Stop closes the server.
func (s *Served) Stop() { s.srv.Close() }
