package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

func testConfigManifest(format, key string) string {
	return `
data "dspy_deployment_manifest" "m" {
  format = "` + format + `"
  name   = "qa-bot"
  container { image = "ghcr.io/acme/qa-bot:1.4.2" }
  lm { api_key_secret = "` + key + `" }
  replicas {
    min = 2
    max = 6
  }
}
`
}

// TestDeploymentManifest renders both formats through the CLI and refuses bad input at plan time.
func TestDeploymentManifest(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testConfigManifest("helm", "openai/api-key"), ExpectError: acctest.ExpectError(`format = "helm" must be one of`)},
			{Config: testConfigManifest("kubernetes", "sk-proj-1234567890abcdefghij"), ExpectError: acctest.ExpectError("lm.api_key_secret looks like a plaintext credential")},
			{Config: testConfigManifest("kubernetes", "arn:aws:secretsmanager:us-east-1:1:secret:x"), ExpectError: acctest.ExpectError("must be <secret-name>/<key>")},
			{
				Config: testConfigManifest("kubernetes", "openai/api-key"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestMatchResourceAttr("data.dspy_deployment_manifest.m", "manifest", regexp.MustCompile(`(?s)LM_MODEL: openai/gpt-4o-mini.*kind: ConfigMap.*kind: Deployment.*secretKeyRef:\s+key: api-key\s+name: openai.*kind: Service.*kind: HorizontalPodAutoscaler.*maxReplicas: 6.*kind: PodDisruptionBudget`)),
				),
			},
			{
				Config: testConfigManifest("compose", "openai/api-key"),
				Check:  resource.TestMatchResourceAttr("data.dspy_deployment_manifest.m", "manifest", regexp.MustCompile(`(?s)openai:\s+external: true.*LM_API_KEY_FILE: /run/secrets/openai`)),
			},
		},
	})
}
