package provider_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// TestServiceHealth_aws reads the health of a running service: counts, per-instance state, target
// health, and the HTTP probe against a local server that is healthy, then failing, then gone.
func TestServiceHealth_aws(t *testing.T) {
	t.Parallel()
	up := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if up {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	net := acctest.DefaultNetwork(t)
	const name = "health-bot"
	service := testConfigService_live(name, net)
	health := func(url string) string {
		return service + `
data "dspy_service_health" "h" {
  service_id = dspy_service.test.id
  probe {
    url             = "` + url + `"
    timeout_seconds = 2
  }
}
`
	}
	const ds = "data.dspy_service_health.h"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{
			{
				Config: health(srv.URL + "/health"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(ds, "status", "healthy"),
					resource.TestCheckResourceAttr(ds, "reasons.#", "0"),
					resource.TestCheckResourceAttr(ds, "desired", "3"),
					resource.TestCheckResourceAttr(ds, "in_service", "3"),
					resource.TestCheckResourceAttr(ds, "healthy", "3"),
					resource.TestCheckResourceAttr(ds, "unhealthy", "0"),
					resource.TestCheckResourceAttr(ds, "instances.#", "3"),
					resource.TestCheckResourceAttr(ds, "instances.0.lifecycle_state", "InService"),
					resource.TestCheckResourceAttr(ds, "instances.0.health", "healthy"),
					resource.TestCheckResourceAttr(ds, "instances.0.template_version", "1"),
					resource.TestCheckResourceAttr(ds, "rollout_status", "none"),
					resource.TestCheckResourceAttr(ds, "probe_status_code", "200"),
				),
			},
			{
				PreConfig: func() { up = false },
				Config:    health(srv.URL + "/health"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(ds, "status", "unhealthy"),
					resource.TestCheckResourceAttr(ds, "probe_status_code", "503"),
					resource.TestMatchResourceAttr(ds, "reasons.0", regexpAnswered503),
				),
			},
			{
				Config: health("http://127.0.0.1:1/health"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(ds, "status", "unhealthy"),
					resource.TestCheckResourceAttr(ds, "probe_status_code", "0"),
					resource.TestMatchResourceAttr(ds, "reasons.0", regexpRefused),
				),
			},
		},
	})
}
