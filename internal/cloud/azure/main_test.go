package azure

import (
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// TestMain trusts httptest's certificate, which the Azure Resource Manager fake presents, through
// SSL_CERT_FILE, as the provider test bed does: it must be set before the first TLS handshake.
func TestMain(m *testing.M) {
	srv := httptest.NewTLSServer(nil)
	dir, err := os.MkdirTemp("", "azure-test-ca")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ca := filepath.Join(dir, "ca.pem")
	err = os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	srv.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = os.Setenv("SSL_CERT_FILE", ca)
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
