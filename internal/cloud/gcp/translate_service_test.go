package gcp

import (
	"strings"
	"testing"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func gcpService() *spec.Service {
	initial := int64(3)
	return &spec.Service{
		Name:      "qa-bot",
		Container: spec.Container{Image: "ghcr.io/acme/qa-bot:1.4.2", Port: 8000, HealthPath: "/health", MetricsPath: "/metrics"},
		LM:        spec.LM{Model: "openai/gpt-4o-mini", APIKeySecret: "projects/acme-prod/secrets/openai"},
		Capacity:  spec.Capacity{Min: 2, Max: 6, Initial: &initial},
		Instance:  spec.Instance{Type: "n2-standard-2", DiskGiB: 40, Architecture: "x86_64"},
		Rollout:   spec.Rollout{MaxUnavailablePercent: 25, MinHealthyPercent: 75, AutoRollback: true, Wait: true},
		Health:    spec.Health{GracePeriodSeconds: 300, AutoRepair: true},
		GCP:       &spec.GCPPlacement{Project: "acme-prod", Region: "us-central1", Zones: []string{"us-central1-a", "us-central1-b"}},
	}
}

func assertProto(t *testing.T, what string, got, want proto.Message) {
	t.Helper()
	if !proto.Equal(got, want) {
		o := protojson.MarshalOptions{Multiline: true}
		t.Errorf("%s:\ngot  %s\nwant %s", what, o.Format(got), o.Format(want))
	}
}

func testPlan(t *testing.T, s *spec.Service) *ServicePlan {
	t.Helper()
	p, err := Plan("acme-prod", "us-central1", s, map[string]string{"team": "qa"}, "0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlan_labelsAndHash(t *testing.T) {
	t.Parallel()
	p := testPlan(t, gcpService())
	want := map[string]string{"team": "qa", "dspy-service": "qa-bot", "dspy-owner": "0123456789abcdef"}
	if len(p.Labels) != len(want) {
		t.Fatalf("labels %v, want %v", p.Labels, want)
	}
	for k, v := range want {
		if p.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, p.Labels[k], v)
		}
	}
	h, err := StartupHash("acme-prod", gcpService())
	if err != nil || h != p.StartupHash || len(h) != 16 {
		t.Errorf("StartupHash = %q, %v; the plan has %q", h, err, p.StartupHash)
	}
	changed := gcpService()
	changed.Container.Image = "ghcr.io/acme/qa-bot:1.5.0"
	if h2, _ := StartupHash("acme-prod", changed); h2 == h {
		t.Error("a new image must change the startup hash")
	}
	bounds := gcpService()
	bounds.Capacity.Max = 20
	if h3, _ := StartupHash("acme-prod", bounds); h3 != h {
		t.Error("capacity is not what instances run: it must not change the startup hash")
	}
	dec, err := spec.DecodeService(p.Spec)
	if err != nil || dec.Name != "qa-bot" || dec.GCP.Zones[1] != "us-central1-b" {
		t.Errorf("the encoded spec does not round-trip: %v %+v", err, dec)
	}
}

func TestInstanceTemplate(t *testing.T) {
	t.Parallel()
	s := gcpService()
	s.State = &spec.StateVolume{SizeGiB: 20, MountPath: "/var/lib/dspy"}
	p := testPlan(t, s)
	tpl := InstanceTemplate(p, []string{"projects/acme-prod/regions/us-central1/resourcePolicies/qa-bot-backup"})
	props := tpl.GetProperties()
	if tpl.GetName() != "qa-bot-"+p.StartupHash+"-b" || InstanceTemplate(p, nil).GetName() != "qa-bot-"+p.StartupHash || props.GetMachineType() != "n2-standard-2" || props.GetLabels()["dspy-owner"] != "0123456789abcdef" {
		t.Errorf("template %s, machine %s, labels %v", tpl.GetName(), props.GetMachineType(), props.GetLabels())
	}
	if len(props.GetNetworkInterfaces()) != 1 || len(props.GetNetworkInterfaces()[0].GetAccessConfigs()) != 0 ||
		props.GetNetworkInterfaces()[0].GetNetwork() != "global/networks/default" {
		t.Errorf("network interfaces %v: want the default network and no external IP", props.GetNetworkInterfaces())
	}
	assertProto(t, "shielded VM", props.GetShieldedInstanceConfig(), &computepb.ShieldedInstanceConfig{
		EnableSecureBoot: proto.Bool(true), EnableVtpm: proto.Bool(true), EnableIntegrityMonitoring: proto.Bool(true)})
	assertProto(t, "scheduling", props.GetScheduling(), &computepb.Scheduling{ProvisioningModel: proto.String("STANDARD"),
		OnHostMaintenance: proto.String("MIGRATE"), AutomaticRestart: proto.Bool(true)})
	disks := props.GetDisks()
	if len(disks) != 2 {
		t.Fatalf("want boot and state disks, got %d", len(disks))
	}
	boot, state := disks[0].GetInitializeParams(), disks[1]
	if !disks[0].GetBoot() || boot.GetSourceImage() != "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64" || boot.GetDiskSizeGb() != 40 || boot.GetDiskType() != "pd-balanced" {
		t.Errorf("boot disk %v", disks[0])
	}
	if state.GetDeviceName() != "dspy-state" || state.GetInitializeParams().GetDiskSizeGb() != 20 ||
		strings.Join(state.GetInitializeParams().GetResourcePolicies(), ",") != "projects/acme-prod/regions/us-central1/resourcePolicies/qa-bot-backup" {
		t.Errorf("state disk %v", state)
	}
	items := map[string]string{}
	for _, it := range props.GetMetadata().GetItems() {
		items[it.GetKey()] = it.GetValue()
	}
	if !strings.HasPrefix(items["user-data"], "#cloud-config") || items["enable-oslogin"] != "TRUE" || items[MetadataStartupHash] != p.StartupHash {
		t.Errorf("metadata %v", items)
	}
	if strings.Contains(items["user-data"], "LM_API_KEY=projects/") {
		t.Error("the API key reference must be fetched at boot, never written as a value")
	}
	if sa := props.GetServiceAccounts(); len(sa) != 1 || sa[0].GetEmail() != "default" {
		t.Errorf("service accounts %v", sa)
	}

	s.Instance.Spot = &spec.Spot{Enabled: true}
	s.Instance.Architecture = "arm64"
	s.Instance.Type = "t2a-standard-2"
	tpl = InstanceTemplate(testPlan(t, s), nil)
	assertProto(t, "spot scheduling", tpl.GetProperties().GetScheduling(), &computepb.Scheduling{ProvisioningModel: proto.String("SPOT"),
		InstanceTerminationAction: proto.String("DELETE"), OnHostMaintenance: proto.String("TERMINATE"), AutomaticRestart: proto.Bool(false), Preemptible: proto.Bool(true)})
	if img := tpl.GetProperties().GetDisks()[0].GetInitializeParams().GetSourceImage(); img != "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64" {
		t.Errorf("arm64 image %s", img)
	}
}

func TestGroupManager(t *testing.T) {
	t.Parallel()
	p := testPlan(t, gcpService())
	tplURL, hcURL := TemplateURL("acme-prod", "us-central1", "qa-bot-x"), HealthCheckURL("acme-prod", "us-central1", "qa-bot")
	assertProto(t, "group", GroupManager(p, tplURL, hcURL), &computepb.InstanceGroupManager{
		Name: proto.String("qa-bot"), Description: proto.String("dspy service qa-bot"), BaseInstanceName: proto.String("qa-bot"),
		InstanceTemplate: proto.String("projects/acme-prod/regions/us-central1/instanceTemplates/qa-bot-x"),
		TargetSize:       proto.Int32(3),
		NamedPorts:       []*computepb.NamedPort{{Name: proto.String("http"), Port: proto.Int32(8000)}},
		UpdatePolicy: &computepb.InstanceGroupManagerUpdatePolicy{Type: proto.String("PROACTIVE"), MinimalAction: proto.String("REPLACE"),
			ReplacementMethod: proto.String("SUBSTITUTE"), MaxSurge: &computepb.FixedOrPercent{Percent: proto.Int32(25)},
			MaxUnavailable: &computepb.FixedOrPercent{Percent: proto.Int32(25)}},
		AllInstancesConfig: &computepb.InstanceGroupManagerAllInstancesConfig{Properties: &computepb.InstancePropertiesPatch{
			Labels: p.Labels}},
		DistributionPolicy: &computepb.DistributionPolicy{TargetShape: proto.String("EVEN"), Zones: []*computepb.DistributionPolicyZoneConfiguration{
			{Zone: proto.String("projects/acme-prod/zones/us-central1-a")}, {Zone: proto.String("projects/acme-prod/zones/us-central1-b")}}},
		AutoHealingPolicies: []*computepb.InstanceGroupManagerAutoHealingPolicy{{
			HealthCheck: proto.String("projects/acme-prod/regions/us-central1/healthChecks/qa-bot"), InitialDelaySec: proto.Int32(300)}},
	})
	s := gcpService()
	s.Health.AutoRepair = false
	s.Capacity.Initial = nil
	s.GCP.Zones = nil
	g := GroupManager(testPlan(t, s), tplURL, hcURL)
	if g.AutoHealingPolicies != nil || g.DistributionPolicy != nil || g.GetTargetSize() != 2 {
		t.Errorf("without auto_repair, zones and initial: healing %v, distribution %v, target %d", g.AutoHealingPolicies, g.DistributionPolicy, g.GetTargetSize())
	}
	if up := UpdatePolicy(spec.Rollout{MinHealthyPercent: 90}); up.GetMaxUnavailable().GetPercent() != 10 {
		t.Errorf("max unavailable from min_healthy_percent = %d, want 10", up.GetMaxUnavailable().GetPercent())
	}
}

func TestHealthCheckBackendAndAutoscaler(t *testing.T) {
	t.Parallel()
	s := gcpService()
	s.LoadBalancing = &spec.LoadBalancing{Algorithm: spec.AlgorithmLeastRequests}
	p := testPlan(t, s)
	hcURL := HealthCheckURL("acme-prod", "us-central1", "qa-bot")
	assertProto(t, "health check", HealthCheck(p), &computepb.HealthCheck{Name: proto.String("qa-bot"),
		Description: proto.String("dspy service qa-bot owner 0123456789abcdef"), Type: proto.String("HTTP"),
		CheckIntervalSec: proto.Int32(10), TimeoutSec: proto.Int32(5), HealthyThreshold: proto.Int32(2), UnhealthyThreshold: proto.Int32(3),
		HttpHealthCheck: &computepb.HTTPHealthCheck{Port: proto.Int32(8000), RequestPath: proto.String("/health")}})
	assertProto(t, "backend service", BackendService(p, InstanceGroupURL("acme-prod", "us-central1", "qa-bot"), hcURL), &computepb.BackendService{
		Name: proto.String("qa-bot"), Description: proto.String("dspy service qa-bot owner 0123456789abcdef"),
		LoadBalancingScheme: proto.String("INTERNAL_MANAGED"), Protocol: proto.String("HTTP"), PortName: proto.String("http"),
		HealthChecks: []string{hcURL}, LocalityLbPolicy: proto.String("LEAST_REQUEST"),
		Backends: []*computepb.Backend{{Group: proto.String("projects/acme-prod/regions/us-central1/instanceGroups/qa-bot"),
			BalancingMode: proto.String("RATE"), MaxRatePerInstance: proto.Float32(100), CapacityScaler: proto.Float32(1)}}})
	assertProto(t, "autoscaler", Autoscaler(p, GroupURL("acme-prod", "us-central1", "qa-bot")), &computepb.Autoscaler{
		Name: proto.String("qa-bot"), Description: proto.String("dspy service qa-bot owner 0123456789abcdef spec " + p.Spec),
		Target: proto.String("projects/acme-prod/regions/us-central1/instanceGroupManagers/qa-bot"),
		AutoscalingPolicy: &computepb.AutoscalingPolicy{Mode: proto.String("OFF"), MinNumReplicas: proto.Int32(2), MaxNumReplicas: proto.Int32(6),
			CoolDownPeriodSec: proto.Int32(300)}})
	for _, a := range []string{spec.AlgorithmRoundRobin, spec.AlgorithmLeastRequests, spec.AlgorithmWeighted} {
		if AlgorithmOf(LocalityPolicy(a)) != a {
			t.Errorf("%s does not round-trip through %q", a, LocalityPolicy(a))
		}
	}
	if OwnerOfDescription(HealthCheck(p).GetDescription()) != "0123456789abcdef" || OwnerOfDescription("made by hand") != "" {
		t.Error("OwnerOfDescription")
	}
	as := Autoscaler(p, "g").GetDescription()
	if OwnerOfDescription(as) != "0123456789abcdef" || SpecOfDescription(as) != p.Spec || SpecOfDescription("dspy service x owner y") != "" {
		t.Errorf("the autoscaler's description %q does not give back its owner and spec", as)
	}
}
