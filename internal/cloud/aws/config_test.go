package aws_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// TestLoad_defaultChain loads credentials from the environment and calls STS on the emulator.
func TestLoad_defaultChain(t *testing.T) {
	sess, err := aws.Load(context.Background(), aws.Settings{}, "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	if sess.Config.Region != "eu-west-1" {
		t.Errorf("region = %q", sess.Config.Region)
	}
	out, err := sts.NewFromConfig(sess.Config).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity against the emulator: %v", err)
	}
	if *out.Account != "123456789012" {
		t.Errorf("account = %q, want moto's 123456789012", *out.Account)
	}
}

// TestLoad_assumeRole assumes a role through the emulator's STS and checks the new identity.
func TestLoad_assumeRole(t *testing.T) {
	sess, err := aws.Load(context.Background(), aws.Settings{AssumeRole: &aws.AssumeRole{
		RoleARN: "arn:aws:iam::123456789012:role/deployer", SessionName: "ci-run", ExternalID: "abc123",
	}}, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	creds, err := sess.Config.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID == "testing" {
		t.Fatal("credentials are still the base ones; the role was not assumed")
	}
	out, err := sts.NewFromConfig(sess.Config).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(*out.Arn, "assumed-role/deployer/ci-run") {
		t.Errorf("caller = %q, want the assumed role session", *out.Arn)
	}
}

// TestLoad_endpointOverride sends STS calls to the configured endpoint rather than the environment's.
func TestLoad_endpointOverride(t *testing.T) {
	sess, err := aws.Load(context.Background(), aws.Settings{Endpoints: map[string]string{"autoscaling": "http://127.0.0.1:1"}}, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if got := sess.Endpoint("autoscaling"); got == nil || *got != "http://127.0.0.1:1" {
		t.Errorf("autoscaling endpoint = %v", got)
	}
	if got := sess.Endpoint("ec2"); got != nil {
		t.Errorf("ec2 endpoint = %v, want nil (SDK resolution, honouring AWS_ENDPOINT_URL)", *got)
	}
}

// TestLoad_noCredentials fails with one error naming AWS, what was tried and what fixes it.
func TestLoad_noCredentials(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	if err := os.WriteFile(cfg, []byte("[profile other]\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := aws.Load(context.Background(), aws.Settings{Profile: "missing", SharedConfigFiles: []string{cfg}}, "us-east-1")
	var ce *cloud.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("want a *cloud.ConfigError, got %T: %v", err, err)
	}
	msg := ce.Error()
	for _, want := range []string{"AWS", "Tried, in order", `profile "missing"`, "AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE", "TFC_AWS_PROVIDER_AUTH"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not mention %q:\n%s", want, msg)
		}
	}
}

// TestLoad_noRegion fails clearly when no region can be found.
func TestLoad_noRegion(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	_, err := aws.Load(context.Background(), aws.Settings{}, "")
	if err == nil || !strings.Contains(err.Error(), "AWS: no region is configured") || !strings.Contains(err.Error(), "AWS_REGION") {
		t.Fatalf("want a no-region error, got %v", err)
	}
}
