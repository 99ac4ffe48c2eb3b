package main

import "os"

// logEnvs are the variables that ask for provider-side logs: Terraform's own (which it passes on
// to the provider process), the SDK's and this provider's, and the test harness's log files.
var logEnvs = []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_DSPY", "TF_LOG_SDK", "TF_LOG_SDK_PROTO",
	"TF_LOG_SDK_FRAMEWORK", "TF_LOG_PATH", "TF_ACC_LOG_PATH", "TF_LOG_PATH_MASK"}

// quietUnlessLogging turns the provider's logs off when nothing asks for them. The plugin SDK logs
// every request at TRACE and leaves it to Terraform to drop what TF_LOG does not ask for, so an
// unlogged plan still paid for encoding every line (a fifth of the allocations of a large plan).
// With any of logEnvs set nothing changes.
func quietUnlessLogging() {
	for _, k := range logEnvs {
		if os.Getenv(k) != "" {
			return
		}
	}
	for _, k := range []string{"TF_LOG_SDK", "TF_LOG_PROVIDER_DSPY"} {
		_ = os.Setenv(k, "OFF")
	}
}
