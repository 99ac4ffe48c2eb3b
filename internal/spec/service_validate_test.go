package spec

import (
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// validAWSService is a service that passes validation; each case breaks one thing.
func validAWSService() Service {
	return Service{
		Name: "qa-bot",
		Container: Container{Image: "ghcr.io/acme/qa-bot:1.4.2", Port: 8000, HealthPath: "/health", MetricsPath: "/metrics",
			Env:       map[string]string{"LOG_LEVEL": "info"},
			SecretEnv: map[string]string{"DB_PASSWORD": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db"}},
		LM:            LM{Model: "openai/gpt-4o-mini", APIKeySecret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"},
		Program:       &Program{ArtifactURI: "s3://acme-programs/qa-bot/program.json"},
		Capacity:      Capacity{Min: 2, Max: 20, Initial: ptr[int64](3)},
		Instance:      Instance{Type: "m7i.large", DiskGiB: 30, Architecture: "x86_64", Spot: &Spot{Enabled: true, OnDemandBase: 1, OnDemandPercentAboveBase: 25, Strategy: DefaultSpotStrategy}},
		Rollout:       Rollout{MaxUnavailablePercent: 25, MinHealthyPercent: 75, AutoRollback: true, Wait: true},
		Health:        Health{GracePeriodSeconds: 300, AutoRepair: true},
		LoadBalancing: &LoadBalancing{Algorithm: AlgorithmLeastRequests},
		AWS:           &AWSPlacement{Region: "us-east-1", SubnetIDs: []string{"subnet-0123abcd"}, VPCID: "vpc-0123abcd"},
	}
}

func toGCP(s *Service) {
	s.AWS = nil
	s.GCP = &GCPPlacement{Project: "acme-prod", Region: "us-central1", Zones: []string{"us-central1-a"}}
	s.LM.APIKeySecret = "projects/acme-prod/secrets/openai"
	s.Container.SecretEnv = nil
	s.Program = &Program{ArtifactURI: "gs://acme/program.json"}
	s.Instance.Type = "n2-standard-2"
	s.Instance.Spot = &Spot{Enabled: true}
	s.LoadBalancing.Algorithm = AlgorithmRoundRobin
}

func toAzure(s *Service) {
	s.AWS = nil
	s.Azure = &AzurePlacement{ResourceGroup: "rg-dspy", Location: "eastus", Zones: []string{"1", "2"},
		SubnetID: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/app"}
	s.LM.APIKeySecret = "https://acme-kv.vault.azure.net/secrets/openai"
	s.Container.SecretEnv = nil
	s.Program = &Program{ArtifactURI: "https://acme.blob.core.windows.net/programs/qa.json"}
	s.Instance.Type = "Standard_D2s_v5"
	s.Instance.Spot.Strategy = ""
	s.LoadBalancing.Algorithm = AlgorithmRoundRobin
}

func TestServiceValidate_valid(t *testing.T) {
	t.Parallel()
	for name, mut := range map[string]func(*Service){"aws": func(*Service) {}, "gcp": toGCP, "azure": toAzure} {
		s := validAWSService()
		mut(&s)
		if ps := s.Validate(); len(ps) != 0 {
			t.Errorf("%s: valid service reported problems: %v", name, ps)
		}
	}
}

func TestServiceValidate_problems(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		mut  func(*Service)
		path string
		want string
	}{
		{"name uppercase", func(s *Service) { s.Name = "QA" }, "name", "lowercase letters"},
		{"name too long", func(s *Service) { s.Name = strings.Repeat("a", 33) }, "name", "1 to 32"},
		{"no cloud", func(s *Service) { s.AWS = nil }, "aws", "none is set"},
		{"two clouds", func(s *Service) { s.GCP = &GCPPlacement{Project: "acme-prod", Region: "us-central1"} }, "gcp", "aws and gcp"},
		{"bad aws region", func(s *Service) { s.AWS.Region = "virginia" }, "aws.region", "not an AWS region"},
		{"no subnets", func(s *Service) { s.AWS.SubnetIDs = nil }, "aws.subnet_ids", "at least one subnet"},
		{"bad subnet", func(s *Service) { s.AWS.SubnetIDs = []string{"sn-1"} }, "aws.subnet_ids[0]", "not a subnet id"},
		{"bad security group", func(s *Service) { s.AWS.SecurityGroupIDs = []string{"default"} }, "aws.security_group_ids[0]", "security group id"},
		{"bad vpc", func(s *Service) { s.AWS.VPCID = "vpc1" }, "aws.vpc_id", "not a VPC id"},
		{"lb without vpc", func(s *Service) { s.AWS.VPCID = "" }, "aws.vpc_id", "required when load_balancing"},
		{"bad ami", func(s *Service) { s.AWS.AMIID = "al2023" }, "aws.ami_id", "not an AMI id"},
		{"bad image", func(s *Service) { s.Container.Image = "Not An Image" }, "container.image", "not an image reference"},
		{"port zero", func(s *Service) { s.Container.Port = 0 }, "container.port", "between 1 and 65535"},
		{"health path relative", func(s *Service) { s.Container.HealthPath = "health" }, "container.health_path", "absolute URL path"},
		{"metrics path query", func(s *Service) { s.Container.MetricsPath = "/m?x=1" }, "container.metrics_path", "absolute URL path"},
		{"bad env name", func(s *Service) { s.Container.Env = map[string]string{"1X": "a"} }, `container.env["1X"]`, "not a valid environment variable name"},
		{"reserved env", func(s *Service) { s.Container.Env = map[string]string{"DSPY_MODEL": "x"} }, `container.env["DSPY_MODEL"]`, "prefix DSPY_"},
		{"secret in env by name", func(s *Service) { s.Container.Env = map[string]string{"OPENAI_API_KEY": "hunter2"} }, `container.env["OPENAI_API_KEY"]`, "secret_env"},
		{"secret in env by shape", func(s *Service) { s.Container.Env = map[string]string{"X": "sk-proj-abcdefghijklmnop"} }, `container.env["X"]`, "looks like a credential"},
		{"env and secret_env", func(s *Service) { s.Container.Env = map[string]string{"DB_PASSWORD": "/param"} }, `container.secret_env["DB_PASSWORD"]`, "both container.env"},
		{"secret_env not a ref", func(s *Service) { s.Container.SecretEnv = map[string]string{"DB": "db-password"} }, `container.secret_env["DB"]`, "not a secret reference"},
		{"secret_env empty", func(s *Service) { s.Container.SecretEnv = map[string]string{"DB": ""} }, `container.secret_env["DB"]`, "is empty"},
		{"model without provider", func(s *Service) { s.LM.Model = "gpt-4o" }, "lm.model", "provider/model"},
		{"api base not url", func(s *Service) { s.LM.APIBase = "localhost:8000" }, "lm.api_base", "http(s) URL"},
		{"plaintext openai key", func(s *Service) { s.LM.APIKeySecret = "sk-proj-1234567890abcdefghij" }, "lm.api_key_secret", "plaintext credential"},
		{"plaintext opaque key", func(s *Service) { s.LM.APIKeySecret = "a8F3kq9ZmP2xR7tY4wB6nV1c" }, "lm.api_key_secret", "plaintext credential"},
		{"key in another cloud", func(s *Service) { s.LM.APIKeySecret = "projects/acme/secrets/openai" }, "lm.api_key_secret", "Google Cloud"},
		{"key not a ref", func(s *Service) { s.LM.APIKeySecret = "openai" }, "lm.api_key_secret", "not a secret reference"},
		{"max tokens zero", func(s *Service) { s.LM.MaxTokens = ptr[int64](0) }, "lm.max_tokens", "between 1 and"},
		{"temperature high", func(s *Service) { s.LM.Temperature = ptr(2.5) }, "lm.temperature", "between 0 and 2"},
		{"cache ttl zero", func(s *Service) { s.LM.Cache.TTLSeconds = ptr[int64](0) }, "lm.cache.ttl_seconds", "at least 1"},
		{"artifact bad scheme", func(s *Service) { s.Program.ArtifactURI = "ftp://x/y.json" }, "program.artifact_uri", "not supported"},
		{"artifact not uri", func(s *Service) { s.Program.ArtifactURI = "program.json" }, "program.artifact_uri", "s3://, gs:// or https://"},
		{"artifact other cloud", func(s *Service) { s.Program.ArtifactURI = "gs://b/p.json" }, "program.artifact_uri", "cannot read"},
		{"negative min", func(s *Service) { s.Capacity.Min = -1; s.Capacity.Initial = nil }, "capacity.min", "must not be negative"},
		{"max zero", func(s *Service) {
			s.Capacity.Max = 0
			s.Capacity.Min = 0
			s.Capacity.Initial = nil
			s.Instance.Spot = nil
		}, "capacity.max", "between 1 and 1000"},
		{"min above max", func(s *Service) { s.Capacity.Min = 30; s.Capacity.Initial = nil }, "capacity.min", "greater than capacity.max"},
		{"initial out of range", func(s *Service) { s.Capacity.Initial = ptr[int64](1) }, "capacity.initial", "between capacity.min"},
		{"no shape", func(s *Service) { s.Instance.Type = "" }, "instance.type", "Set instance.type"},
		{"type and size", func(s *Service) { s.Instance.VCPUs = ptr[int64](2); s.Instance.MemoryGiB = ptr(8.0) }, "instance.type", "not both"},
		{"vcpus without memory", func(s *Service) { s.Instance.Type = ""; s.Instance.VCPUs = ptr[int64](2) }, "instance.vcpus", "together"},
		{"vcpus zero", func(s *Service) {
			s.Instance.Type = ""
			s.Instance.VCPUs = ptr[int64](0)
			s.Instance.MemoryGiB = ptr(4.0)
		}, "instance.vcpus", "between 1 and 448"},
		{"memory zero", func(s *Service) {
			s.Instance.Type = ""
			s.Instance.VCPUs = ptr[int64](2)
			s.Instance.MemoryGiB = ptr(0.0)
		}, "instance.memory_gib", "above 0"},
		{"aws type from azure", func(s *Service) { s.Instance.Type = "Standard_D2s_v5" }, "instance.type", "is not an AWS instance type"},
		{"bad extra type", func(s *Service) { s.Instance.Types = []string{"large"} }, "instance.types[0]", "is not an AWS instance type"},
		{"small disk", func(s *Service) { s.Instance.DiskGiB = 4 }, "instance.disk_gib", "between 8 and"},
		{"bad arch", func(s *Service) { s.Instance.Architecture = "riscv" }, "instance.architecture", `"x86_64", "arm64"`},
		{"graviton as x86", func(s *Service) { s.Instance.Type = "m7g.large" }, "instance.architecture", "Arm (AWS Graviton)"},
		{"x86 as arm", func(s *Service) { s.Instance.Architecture = "arm64" }, "instance.architecture", "x86_64 type"},
		{"negative od base", func(s *Service) { s.Instance.Spot.OnDemandBase = -1 }, "instance.spot.on_demand_base", "must not be negative"},
		{"od base above max", func(s *Service) { s.Instance.Spot.OnDemandBase = 21 }, "instance.spot.on_demand_base", "exceeds capacity.max"},
		{"od percent", func(s *Service) { s.Instance.Spot.OnDemandPercentAboveBase = 101 }, "instance.spot.on_demand_percent_above_base", "between 0 and 100"},
		{"spot strategy", func(s *Service) { s.Instance.Spot.Strategy = "cheapest" }, "instance.spot.strategy", "must be one of"},
		{"spot max price", func(s *Service) { s.Instance.Spot.MaxPrice = ptr(0.0) }, "instance.spot.max_price", "above 0"},
		{"rollout unavailable", func(s *Service) { s.Rollout.MaxUnavailablePercent = 0 }, "rollout.max_unavailable_percent", "between 1 and 100"},
		{"rollout healthy", func(s *Service) { s.Rollout.MinHealthyPercent = 120 }, "rollout.min_healthy_percent", "between 0 and 100"},
		{"grace period", func(s *Service) { s.Health.GracePeriodSeconds = 9000 }, "health.grace_period_seconds", "between 0 and 7200"},
		{"state size", func(s *Service) { s.State = &StateVolume{SizeGiB: 0, MountPath: "/var/lib/dspy"} }, "state.size_gib", "between 1 and"},
		{"state mount", func(s *Service) { s.State = &StateVolume{SizeGiB: 20, MountPath: "/etc"} }, "state.mount_path", "not a system directory"},
		{"state mount relative", func(s *Service) { s.State = &StateVolume{SizeGiB: 20, MountPath: "data"} }, "state.mount_path", "absolute directory"},
		{"algorithm", func(s *Service) { s.LoadBalancing.Algorithm = "random" }, "load_balancing.algorithm", "must be one of"},
		{"gcp bad project", func(s *Service) { toGCP(s); s.GCP.Project = "A" }, "gcp.project", "not a Google Cloud project id"},
		{"gcp bad region", func(s *Service) { toGCP(s); s.GCP.Region = "central" }, "gcp.region", "not a Google Cloud region"},
		{"gcp zone outside region", func(s *Service) { toGCP(s); s.GCP.Zones = []string{"europe-west1-b"} }, "gcp.zones[0]", "not a zone of region"},
		{"gcp spot mix", func(s *Service) { toGCP(s); s.Instance.Spot.OnDemandBase = 1 }, "instance.spot.on_demand_base", "not available on Google Cloud"},
		{"gcp spot max price", func(s *Service) { toGCP(s); s.Instance.Spot.MaxPrice = ptr(0.1) }, "instance.spot.max_price", "no maximum price"},
		{"gcp spot strategy", func(s *Service) { toGCP(s); s.Instance.Spot.Strategy = "lowest-price" }, "instance.spot.strategy", "no allocation strategy"},
		{"gcp tag not a label", func(s *Service) { toGCP(s); s.Tags = map[string]string{"Cost:Center": "ml"} }, "tags", `Rename the tag (e.g. "cost-center" = "ml")`},
		{"gcp tag value not a label", func(s *Service) { toGCP(s); s.Tags = map[string]string{"team": "ML Platform"} }, "tags", `"team" = "ml-platform"`},
		{"gcp adaptive", func(s *Service) { toGCP(s); s.LoadBalancing.Algorithm = AlgorithmAdaptive }, "load_balancing.algorithm", "least_requests"},
		{"gcp several types", func(s *Service) { toGCP(s); s.Instance.Types = []string{"n2-standard-4"} }, "instance.types", "only available on AWS"},
		{"gcp rollback without wait", func(s *Service) { toGCP(s); s.Rollout.Wait = false }, "rollout.auto_rollback", "needs rollout.wait"},
		{"azure least requests", func(s *Service) { toAzure(s); s.LoadBalancing.Algorithm = AlgorithmLeastRequests }, "load_balancing.algorithm", "not available on Azure"},
		{"azure bad zone", func(s *Service) { toAzure(s); s.Azure.Zones = []string{"eastus-1"} }, "azure.zones[0]", `"1", "2" or "3"`},
		{"azure bad subnet", func(s *Service) { toAzure(s); s.Azure.SubnetID = "app" }, "azure.subnet_id", "not a subnet resource id"},
		{"azure identity not an identity", func(s *Service) {
			toAzure(s)
			s.Azure.IdentityID = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/x"
		}, "azure.identity_id", "not a user-assigned managed identity resource id"},
		{"azure identity by client id", func(s *Service) { toAzure(s); s.Azure.IdentityID = "8d2f1a6e-0000-4000-8000-000000000001" }, "azure.identity_id", "leave it unset"},
		{"azure bad location", func(s *Service) { toAzure(s); s.Azure.Location = "East US" }, "azure.location", "not an Azure location"},
		{"azure bad resource group", func(s *Service) { toAzure(s); s.Azure.ResourceGroup = "rg." }, "azure.resource_group", "not a resource group"},
		{"azure key from aws", func(s *Service) {
			toAzure(s)
			s.LM.APIKeySecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:k"
		}, "lm.api_key_secret", "refers to a secret in AWS"},
		{"azure spot strategy", func(s *Service) { toAzure(s); s.Instance.Spot.Strategy = "capacity-optimized" }, "instance.spot.strategy", "not available on Azure"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := validAWSService()
			tc.mut(&s)
			assertProblem(t, s.Validate(), tc.path, tc.want)
		})
	}
}

// assertProblem fails unless ps has a problem at path whose detail contains want.
func assertProblem(t *testing.T, ps Problems, path, want string) {
	t.Helper()
	for _, p := range ps {
		if p.Path.String() == path && strings.Contains(p.Detail, want) {
			return
		}
	}
	t.Fatalf("want a problem at %s containing %q; got %d problems: %v", path, want, len(ps), ps)
}

func TestServiceValidate_reportsEveryProblem(t *testing.T) {
	t.Parallel()
	s := validAWSService()
	s.Name = "Bad Name"
	s.Container.Port = 0
	s.Capacity.Min = 50
	if got := len(s.Validate()); got < 3 {
		t.Fatalf("want at least 3 problems reported together, got %d", got)
	}
}

func TestServiceID(t *testing.T) {
	t.Parallel()
	s := validAWSService()
	id, ok := s.ID("", "", "")
	if !ok || id.String() != "aws/us-east-1/qa-bot" {
		t.Fatalf("aws id = %v %v", id, ok)
	}
	s.AWS.Region = ""
	if id, ok = s.ID("eu-west-1", "", ""); !ok || id.String() != "aws/eu-west-1/qa-bot" {
		t.Fatalf("aws id from provider region = %v %v", id, ok)
	}
	if _, ok = s.ID("", "", ""); ok {
		t.Fatal("aws id without any region must not be known")
	}
	toGCP(&s)
	if id, ok = s.ID("", "", ""); !ok || id.String() != "gcp/acme-prod/us-central1/qa-bot" || id.Region() != "us-central1" {
		t.Fatalf("gcp id = %v %v", id, ok)
	}
	for _, good := range []string{"aws/us-east-1/a", "gcp/p-123456/us-central1/a", "azure/rg/a"} {
		parsed, err := ParseServiceID(good)
		if err != nil || parsed.String() != good {
			t.Errorf("ParseServiceID(%q) = %v, %v", good, parsed, err)
		}
	}
	for _, bad := range []string{"", "qa-bot", "aws/qa-bot", "gcp/us-central1/a", "k8s/x/a", "aws//a", "aws/us-east-1/Qa"} {
		if _, err := ParseServiceID(bad); err == nil {
			t.Errorf("ParseServiceID(%q) accepted a bad id", bad)
		}
	}
}

func TestCapacityInitialSize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		c    Capacity
		want int64
	}{{Capacity{Min: 2, Max: 5}, 2}, {Capacity{Min: 0, Max: 5}, 1}, {Capacity{Min: 1, Max: 5, Initial: ptr[int64](4)}, 4}} {
		if got := tc.c.InitialSize(); got != tc.want {
			t.Errorf("%+v: InitialSize = %d, want %d", tc.c, got, tc.want)
		}
	}
}

func TestLooksLikePlaintextSecret(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"sk-ant-api03-abcdefgh":                                       true,
		"AIzaSyA1234567890abcdefghij":                                 true,
		"a8F3kq9ZmP2xR7tY4wB6nV1c":                                    true,
		"arn:aws:secretsmanager:us-east-1:123456789012:secret:openai": false,
		"projects/p/secrets/s":                                        false,
		"https://kv.vault.azure.net/secrets/openai":                   false,
		"info":                           false,
		"averyveryverylongplainwordonly": false,
	} {
		if got := LooksLikePlaintextSecret(s); got != want {
			t.Errorf("LooksLikePlaintextSecret(%q) = %v, want %v", s, got, want)
		}
	}
}
