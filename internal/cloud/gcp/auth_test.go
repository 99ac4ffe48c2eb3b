package gcp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

func serviceAccountJSON(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: must(x509.MarshalPKCS8PrivateKey(key))})
	b, _ := json.Marshal(map[string]string{
		"type": "service_account", "project_id": "acme-prod", "private_key_id": "k1", "private_key": string(pemKey),
		"client_email": "deployer@acme-prod.iam.gserviceaccount.com", "client_id": "1", "token_uri": "https://oauth2.googleapis.com/token",
	})
	return string(b)
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestLoad_credentialsJSONAndPath(t *testing.T) {
	sa := serviceAccountJSON(t)
	path := filepath.Join(t.TempDir(), "key.json")
	if err := os.WriteFile(path, []byte(sa), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]string{"json": sa, "path": path} {
		creds, err := Load(Settings{Credentials: v})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p, err := creds.ProjectID(context.Background()); err != nil || p != "acme-prod" {
			t.Errorf("%s: project = %q, %v", name, p, err)
		}
	}
}

func TestLoad_impersonation(t *testing.T) {
	creds, err := Load(Settings{Credentials: serviceAccountJSON(t), ImpersonateServiceAccount: "runner@acme-prod.iam.gserviceaccount.com"})
	if err != nil || creds == nil {
		t.Fatalf("impersonated credentials: %v", err)
	}
}

func TestLoad_missingFile(t *testing.T) {
	_, err := Load(Settings{Credentials: "/nonexistent/key.json"})
	var ce *cloud.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("want *cloud.ConfigError, got %T %v", err, err)
	}
	for _, want := range []string{"Google Cloud", "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CREDENTIALS", "TFC_GCP_PROVIDER_AUTH", "/nonexistent/key.json"} {
		if !strings.Contains(ce.Error(), want) {
			t.Errorf("error does not mention %q:\n%s", want, ce.Error())
		}
	}
}

func TestCheckCredentialsValue(t *testing.T) {
	for v, ok := range map[string]bool{
		"":                            true,
		"/path/key.json":              true,
		`{"type":"external_account"}`: true,
		`{"type":"service_account"}`:  true,
		`{"type":"api_key"}`:          false,
		`{not json`:                   false,
	} {
		if err := CheckCredentialsValue(v); (err == nil) != ok {
			t.Errorf("CheckCredentialsValue(%q) = %v", v, err)
		}
	}
}

func TestSettingsFromEnv(t *testing.T) {
	t.Setenv("GOOGLE_PROJECT", "")
	t.Setenv("GOOGLE_CLOUD_PROJECT", "env-project")
	t.Setenv("GOOGLE_REGION", "europe-west1")
	s := Settings{Region: "us-central1"}.FromEnv()
	if s.Project != "env-project" || s.Region != "us-central1" {
		t.Errorf("FromEnv = %+v: attributes must win, env fills the rest", s)
	}
}
