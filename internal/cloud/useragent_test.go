package cloud_test

import (
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

func TestUserAgent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ provider, terraform, want string }{
		{"0.4.0", "1.11.4", "Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-dspy/0.4.0"},
		{"dev+none", "1.9.0", "Terraform/1.9.0 (+https://www.terraform.io) terraform-provider-dspy/dev+none"},
		{"0.4.0", "", "Terraform/unknown (+https://www.terraform.io) terraform-provider-dspy/0.4.0"},
		{"", "1.11.4", "Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-dspy/dev"},
	} {
		if got := cloud.UserAgent(tc.provider, tc.terraform); got != tc.want {
			t.Errorf("UserAgent(%q, %q) = %q, want %q", tc.provider, tc.terraform, got, tc.want)
		}
	}
}
