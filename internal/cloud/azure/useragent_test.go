package azure

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

const testUserAgent = "Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-dspy/test"

// TestBackend_userAgent: the credential's calls to Microsoft Entra ID and a Resource Manager client
// of a session the backend builds from Settings send the provider's whole User-Agent first (not
// cut to the 24 characters of Telemetry.ApplicationID), and each attempt of a call is logged at
// DEBUG with its number.
func TestBackend_userAgent(t *testing.T) {
	t.Parallel()
	f := azurefake.Start(t)
	f.AddResourceGroup("rg-dspy", "westeurope")
	b := NewBackend(&cloud.Settings{UserAgent: testUserAgent, Azure: cloud.AzureSettings{SubscriptionID: azurefake.Subscription,
		TenantID: azurefake.Tenant, ClientID: azurefake.ClientID, ClientSecret: azurefake.ClientSecret, Environment: "public",
		ResourceManagerEndpoint: f.URL(), AuthorityHost: f.URL()}}).(*Backend)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	sess, err := b.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClients(sess)
	if err != nil {
		t.Fatal(err)
	}
	f.FailNext("GET Microsoft.Compute/virtualMachineScaleSets", http.StatusServiceUnavailable)
	if _, err := c.ScaleSets.Get(ctx, "rg-dspy", "none", nil); !isNotFound(err) {
		t.Fatalf("a missing scale set: %v", err)
	}

	agents := f.UserAgents()
	if len(agents) < 2 {
		t.Errorf("User-Agents %q: want the token endpoint's and Resource Manager's", agents)
	}
	for _, ua := range agents {
		if !strings.HasPrefix(ua, testUserAgent+" azsdk-go-") {
			t.Errorf("User-Agent %q, want %q followed by the SDK's", ua, testUserAgent)
		}
	}
	logged := buf.String()
	target := "/subscriptions/" + azurefake.Subscription + "/resourceGroups/rg-dspy/providers/Microsoft.Compute/virtualMachineScaleSets/none?api-version="
	for _, want := range []string{`"operation":"POST"`, "/" + azurefake.Tenant + "/oauth2/v2.0/token",
		`"attempt":1,"cloud":"azure"`, `"status":503`, `"attempt":2,"cloud":"azure"`, `"status":404`, target} {
		if !strings.Contains(logged, want) {
			t.Errorf("the log lacks %s:\n%s", want, logged)
		}
	}
	if strings.Contains(logged, azurefake.ClientSecret) || strings.Contains(logged, "eyJ0eXAi") {
		t.Errorf("the log holds a credential:\n%s", logged)
	}
}

// TestRetailPrices_userAgent: the Retail Prices client sends the provider's User-Agent and logs
// its calls.
func TestRetailPrices_userAgent(t *testing.T) {
	t.Parallel()
	agents := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case agents <- r.Header.Get("User-Agent"):
		default:
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"Items":[],"NextPageLink":null}`))
	}))
	t.Cleanup(srv.Close)
	r := NewRetailPrices(testUserAgent)
	r.BaseURL = srv.URL
	var buf bytes.Buffer
	_, _ = r.VM(tflogtest.RootLogger(context.Background(), &buf), "westeurope", "Standard_D2s_v5")
	if agent := <-agents; agent != testUserAgent {
		t.Errorf("User-Agent %q, want %q", agent, testUserAgent)
	}
	if !strings.Contains(buf.String(), `"status":200`) || !strings.Contains(buf.String(), "%24filter=") {
		t.Errorf("the call is not logged:\n%s", buf.String())
	}
}
