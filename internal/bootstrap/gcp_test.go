package bootstrap

import (
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func TestGCPFetcher_secretCommand(t *testing.T) {
	t.Parallel()
	f := GCPFetcher{Project: "acme-prod"}
	for ref, want := range map[string]string{
		"projects/acme-secrets/secrets/openai-key":            "gcloud secrets versions access 'latest' --secret='openai-key' --project='acme-secrets' --quiet",
		"projects/acme-secrets/secrets/openai-key/versions/3": "gcloud secrets versions access '3' --secret='openai-key' --project='acme-secrets' --quiet",
		"openai-key": "gcloud secrets versions access 'latest' --secret='openai-key' --project='acme-prod' --quiet",
	} {
		if got := f.SecretCommand(ref); got != want {
			t.Errorf("SecretCommand(%q) = %s\nwant %s", ref, got, want)
		}
	}
}

func TestRender_gcp(t *testing.T) {
	t.Parallel()
	s := service()
	s.LM.APIKeySecret = "projects/acme-prod/secrets/openai"
	s.Container.SecretEnv = map[string]string{"DB_PASSWORD": "projects/acme-prod/secrets/db/versions/2"}
	s.Program = &spec.Program{ArtifactURI: "gs://acme/qa/program.json"}
	s.State = &spec.StateVolume{SizeGiB: 20}
	out, err := Render(s, GCPFetcher{Project: "acme-prod"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"#cloud-config",
		"  - docker.io\n",
		"      DSPY_METRICS_SINK=cloud_monitoring\n",
		"      DSPY_METRICS_PREFIX=custom.googleapis.com/dspy/\n",
		"      DSPY_TOKEN_BUDGET_METADATA=dspy-token-budget-qa-bot\n",
		"value=\"$(gcloud secrets versions access 'latest' --secret='openai' --project='acme-prod' --quiet)\"",
		"gcloud storage cp --quiet 'gs://acme/qa/program.json' '/var/lib/dspy/program.json'",
		"[ -b /dev/disk/by-id/google-dspy-state ]",
		"add-google-cloud-ops-agent-repo.sh --also-install",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("user data lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "aws ") {
		t.Error("a Google Cloud bootstrap must not call the AWS CLI")
	}
}
