package main

import (
	"os"
	"testing"
)

// TestQuietUnlessLogging: with no log variable set the SDK's and the provider's logs are turned
// off; with any one set, nothing is changed.
func TestQuietUnlessLogging(t *testing.T) {
	for _, k := range logEnvs {
		t.Setenv(k, "")
		_ = os.Unsetenv(k)
	}
	quietUnlessLogging()
	if os.Getenv("TF_LOG_SDK") != "OFF" || os.Getenv("TF_LOG_PROVIDER_DSPY") != "OFF" {
		t.Fatalf("TF_LOG_SDK=%q TF_LOG_PROVIDER_DSPY=%q, want OFF", os.Getenv("TF_LOG_SDK"), os.Getenv("TF_LOG_PROVIDER_DSPY"))
	}
	for _, k := range logEnvs {
		_ = os.Unsetenv(k)
	}
	t.Setenv("TF_LOG", "DEBUG")
	quietUnlessLogging()
	if v := os.Getenv("TF_LOG_SDK"); v != "" {
		t.Fatalf("with TF_LOG set, TF_LOG_SDK = %q, want it left unset", v)
	}
}
