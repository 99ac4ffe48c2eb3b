package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
)

// azureSizes are the service counts the Azure Resource Manager calls are measured for.
var azureSizes = []int{1, 10}

func azureServices(n int, endpoint, subnet, image string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    dspy = { source = \"dspyops/dspy\" }\n  }\n}\nprovider \"dspy\" {\n  azure {\n    subscription_id = %q\n    tenant_id = %q\n    client_id = %q\n    resource_manager_endpoint = %q\n    authority_host = %q\n  }\n}\n",
		azurefake.Subscription, azurefake.Tenant, azurefake.ClientID, endpoint, endpoint)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `
resource "dspy_service" "s%[1]d" {
  name = "bench-%03[1]d"
  container { image = %[2]q }
  lm { api_key_secret = "https://bench-kv.vault.azure.net/secrets/openai" }
  capacity {
    min = 1
    max = 2
  }
  instance { type = "Standard_D2s_v5" }
  load_balancing { algorithm = "round_robin" }
  azure {
    resource_group = "rg-bench"
    location       = "westeurope"
    subnet_id      = %[3]q
  }
}
`, i, image, subnet)
	}
	return b.String()
}

// measureAzure counts the Resource Manager calls (operation polls included) of creating,
// refreshing, rolling out and destroying N services on the fake. The provider process trusts the
// fake's certificate through SSL_CERT_FILE and signs in with ARM_CLIENT_SECRET, as a user's would.
func measureAzure(work string) ([]gcpRow, error) {
	fake, err := azurefake.Serve("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer fake.Stop()
	fake.AddResourceGroup("rg-bench", "westeurope")
	subnet := fake.AddNetwork("rg-bench", "vnet-bench", "services", "westeurope")
	ca := filepath.Join(work, "azure-ca.pem")
	if err := os.WriteFile(ca, fake.CertPEM(), 0o600); err != nil {
		return nil, err
	}
	for k, v := range map[string]string{"SSL_CERT_FILE": ca, "ARM_CLIENT_SECRET": azurefake.ClientSecret, "ARM_USE_CLI": "false"} {
		if err := os.Setenv(k, v); err != nil {
			return nil, err
		}
	}
	before := fake.IDs()
	var rows []gcpRow
	for _, n := range azureSizes {
		dir := filepath.Join(work, fmt.Sprintf("azure-%d", n))
		_ = os.MkdirAll(dir, 0o755)
		write := func(image string) {
			_ = os.WriteFile(filepath.Join(dir, "main.tf"), []byte(azureServices(n, fake.URL(), subnet, image)), 0o600)
		}
		r, err := phases(n, dir, write, fake.ResetCalls, fake.Calls)
		if err != nil {
			return nil, err
		}
		if left := fake.IDs(); !slices.Equal(left, before) {
			return nil, fmt.Errorf("destroy left %d objects on the Resource Manager fake", len(left)-len(before))
		}
		rows = append(rows, r)
	}
	return rows, nil
}
