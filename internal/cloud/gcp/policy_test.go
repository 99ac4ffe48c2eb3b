package gcp

import (
	"context"
	"errors"
	"slices"
	"testing"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func gcpPolicy() *spec.ScalingPolicy {
	return &spec.ScalingPolicy{
		ServiceID: "gcp/acme-prod/us-central1/qa-bot",
		Targets: []spec.Target{{Metric: spec.MetricCPU, Value: 60}, {Metric: spec.MetricTokensPerMinute, Value: 40000},
			{Metric: spec.MetricRequestsPerInstance, Value: 50}},
		Predictive:    &spec.Predictive{Mode: "forecast_and_scale", Metric: spec.MetricCPU, MaxCapacityBehavior: "honor_max"},
		WarmupSeconds: 90,
	}
}

func TestPolicyFor(t *testing.T) {
	t.Parallel()
	pp, err := PolicyFor(gcpPolicy(), "qa-bot", 120)
	if err != nil {
		t.Fatal(err)
	}
	assertProto(t, "policy", pp.Policy, &computepb.AutoscalingPolicy{Mode: proto.String("ONLY_SCALE_OUT"), CoolDownPeriodSec: proto.Int32(90),
		CpuUtilization: &computepb.AutoscalingPolicyCpuUtilization{UtilizationTarget: proto.Float64(0.6), PredictiveMethod: proto.String("OPTIMIZE_AVAILABILITY")},
		CustomMetricUtilizations: []*computepb.AutoscalingPolicyCustomMetricUtilization{{Metric: proto.String("custom.googleapis.com/dspy/tokens_per_minute"),
			Filter: proto.String(`metric.labels.service = "qa-bot"`), UtilizationTarget: proto.Float64(40000), UtilizationTargetType: proto.String("GAUGE")}},
		LoadBalancingUtilization: &computepb.AutoscalingPolicyLoadBalancingUtilization{UtilizationTarget: proto.Float64(0.8)}})
	if pp.MaxRatePerInstance != 62.5 {
		t.Errorf("rate %g, want 50 / 0.8", pp.MaxRatePerInstance)
	}
	p := gcpPolicy()
	p.ScaleInEnabled, p.WarmupSeconds, p.Predictive = true, 0, nil
	p.Targets = []spec.Target{{Metric: spec.MetricMemory, Value: 70}}
	pp, err = PolicyFor(p, "qa-bot", 120)
	if err != nil {
		t.Fatal(err)
	}
	assertProto(t, "memory policy", pp.Policy, &computepb.AutoscalingPolicy{Mode: proto.String("ON"), CoolDownPeriodSec: proto.Int32(120),
		CustomMetricUtilizations: []*computepb.AutoscalingPolicyCustomMetricUtilization{{Metric: proto.String(MemoryMetric),
			Filter: proto.String(`metric.labels.state = "used"`), UtilizationTarget: proto.Float64(70), UtilizationTargetType: proto.String("GAUGE")}}})
}

func TestPolicyAPI_lifecycle(t *testing.T) {
	t.Parallel()
	api, _ := testAPI(t, "us-central1")
	s := regionalService("us-central1")
	s.LoadBalancing = &spec.LoadBalancing{Algorithm: spec.AlgorithmRoundRobin}
	st := create(t, api, s, nil, "owner-one")
	ctx := ctxT(t)
	id := spec.ServiceID{Cloud: spec.GCP, Scope: "acme-prod/us-central1", Name: "qa-bot"}
	pol := &PolicyAPI{s: api}
	p := gcpPolicy()
	four := int64(4)
	p.Schedules = []spec.Schedule{{Name: "business-hours", Cron: "0 8 * * MON-FRI", TimeZone: "Europe/Berlin", Min: &four, Duration: 36000}}
	if _, err := pol.Apply(ctx, id, p, nil); err != nil {
		t.Fatal(err)
	}
	as, err := api.getAutoscaler(ctx, "qa-bot")
	if err != nil {
		t.Fatal(err)
	}
	ap := as.GetAutoscalingPolicy()
	if ap.GetMode() != "ONLY_SCALE_OUT" || ap.GetCpuUtilization().GetUtilizationTarget() != 0.6 || len(ap.GetCustomMetricUtilizations()) != 1 ||
		ap.GetLoadBalancingUtilization() == nil || ap.GetMinNumReplicas() != 2 || ap.GetMaxNumReplicas() != 6 || ap.GetCoolDownPeriodSec() != 90 {
		t.Errorf("autoscaler policy after apply: %v", ap)
	}
	if sc := ap.GetScalingSchedules()["business-hours"]; sc.GetMinRequiredReplicas() != 4 || sc.GetDurationSec() != 36000 || sc.GetTimeZone() != "Europe/Berlin" {
		t.Errorf("scaling schedule %v", sc)
	}
	bs, err := api.getBackend(ctx, "qa-bot")
	if err != nil || bs.GetBackends()[0].GetMaxRatePerInstance() != 62.5 {
		t.Errorf("backend rate: %v %v", err, bs.GetBackends())
	}
	if got, err := pol.Read(ctx, id, p, nil); err != nil || len(got.Missing) > 0 {
		t.Fatalf("Read after apply: %v, missing %v", err, got.Missing)
	}

	// A service change keeps the policy the autoscaler's description holds; an import restores it.
	bigger := regionalService("us-central1")
	bigger.LoadBalancing, bigger.Capacity.Max = s.LoadBalancing, 9
	read, err := api.Read(ctx, id, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Update(ctx, cloud.ServiceChange{Prior: read, PriorService: s, Service: bigger}); err != nil {
		t.Fatal(err)
	}
	imp, err := pol.Read(ctx, id, nil, nil)
	if err != nil || imp.Spec == nil || len(imp.Spec.Targets) != 3 || len(imp.Spec.Schedules) != 1 || imp.Spec.WarmupSeconds != 90 {
		t.Fatalf("import: %v %+v", err, imp)
	}
	if as, _ = api.getAutoscaler(ctx, "qa-bot"); as.GetAutoscalingPolicy().GetMaxNumReplicas() != 9 || as.GetAutoscalingPolicy().GetMode() != "ONLY_SCALE_OUT" {
		t.Errorf("after the service update the autoscaler is %v", as.GetAutoscalingPolicy())
	}

	// Someone changes the CPU target in the console: the target is drift.
	if err := api.run(ctx, func(ctx context.Context) (*compute.Operation, error) {
		return api.c.Autoscalers.Patch(ctx, &computepb.PatchRegionAutoscalerRequest{Project: "acme-prod", Region: "us-central1", Autoscaler: proto.String("qa-bot"),
			AutoscalerResource: &computepb.Autoscaler{Name: proto.String("qa-bot"), AutoscalingPolicy: &computepb.AutoscalingPolicy{
				CpuUtilization: &computepb.AutoscalingPolicyCpuUtilization{UtilizationTarget: proto.Float64(0.9)}}}})
	}); err != nil {
		t.Fatal(err)
	}
	got, err := pol.Read(ctx, id, p, nil)
	if err != nil || !slices.Equal(got.Missing, []string{"target[0]"}) {
		t.Fatalf("Read after the console change: %v, missing %v", err, got.Missing)
	}

	// Fewer targets: the removed signals are cleared and the backend's rate is restored.
	p.Targets, p.ScaleInEnabled, p.Schedules = p.Targets[:1], true, nil
	if _, err := pol.Apply(ctx, id, p, nil); err != nil {
		t.Fatal(err)
	}
	as, _ = api.getAutoscaler(ctx, "qa-bot")
	if ap := as.GetAutoscalingPolicy(); ap.GetMode() != "ON" || len(ap.GetCustomMetricUtilizations()) != 0 || ap.LoadBalancingUtilization != nil || len(ap.GetScalingSchedules()) != 0 ||
		ap.GetCpuUtilization().GetUtilizationTarget() != 0.6 {
		t.Errorf("after removing targets: %v", ap)
	}
	if bs, _ = api.getBackend(ctx, "qa-bot"); bs.GetBackends()[0].GetMaxRatePerInstance() != DefaultMaxRatePerInstance {
		t.Errorf("backend rate after removing requests_per_instance: %v", bs.GetBackends()[0].GetMaxRatePerInstance())
	}

	if err := pol.Delete(ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	as, _ = api.getAutoscaler(ctx, "qa-bot")
	if ap := as.GetAutoscalingPolicy(); ap.GetMode() != "OFF" || ap.CpuUtilization != nil || ap.GetMaxNumReplicas() != 9 || PolicyOfDescription(as.GetDescription()) != "" {
		t.Errorf("after delete: %v, description %q", ap, as.GetDescription())
	}
	if _, err := pol.Read(ctx, id, nil, nil); !errors.Is(err, cloud.ErrNotFound) {
		t.Errorf("import after delete: %v, want ErrNotFound", err)
	}
}
