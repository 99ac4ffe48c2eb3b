package manifest

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func ptr64(v int64) *int64 { return &v }

func service() *spec.Service {
	return &spec.Service{
		Name: "qa-bot",
		Container: spec.Container{Image: "ghcr.io/acme/qa-bot:1.4.2", Port: 8000, HealthPath: "/health", MetricsPath: "/metrics",
			Env: map[string]string{"LOG_LEVEL": "info"}, SecretEnv: map[string]string{"DB_PASSWORD": "db/password"}},
		LM:       spec.LM{Model: "openai/gpt-4o-mini", APIKeySecret: "openai/api-key", Cache: spec.LMCache{Enabled: true}},
		Program:  &spec.Program{ArtifactURI: "https://example.com/qa/program.json"},
		Capacity: spec.Capacity{Min: 2, Max: 10, Initial: ptr64(3)},
		Rollout:  spec.Rollout{MaxUnavailablePercent: 25, MinHealthyPercent: 75},
	}
}

func options() Options {
	return Options{Namespace: "ml", CPU: "500m", Memory: "1Gi", CPUTargetPercent: ptr64(60), TokensPerMinute: ptr64(40000)}
}

func TestKubernetes(t *testing.T) {
	t.Parallel()
	out, err := Kubernetes(service(), options())
	if err != nil {
		t.Fatal(err)
	}
	docs := strings.Split(out, "\n---\n")
	if len(docs) != 5 {
		t.Fatalf("want 5 documents, got %d:\n%s", len(docs), out)
	}
	var cm corev1.ConfigMap
	var dep appsv1.Deployment
	var svc corev1.Service
	var hpa autoscalingv2.HorizontalPodAutoscaler
	var pdb policyv1.PodDisruptionBudget
	for i, into := range []any{&cm, &dep, &svc, &hpa, &pdb} {
		if err := yaml.UnmarshalStrict([]byte(docs[i]), into); err != nil {
			t.Fatalf("document %d does not decode strictly: %v\n%s", i, err, docs[i])
		}
	}
	if cm.Kind != "ConfigMap" || cm.Namespace != "ml" || cm.Data["LM_MODEL"] != "openai/gpt-4o-mini" || cm.Data["LOG_LEVEL"] != "info" ||
		cm.Data["DSPY_PROGRAM_URI"] != "https://example.com/qa/program.json" || cm.Data["LM_API_KEY"] != "" || cm.Data["DB_PASSWORD"] != "" {
		t.Errorf("config map = %+v", cm.Data)
	}
	c := dep.Spec.Template.Spec.Containers[0]
	if *dep.Spec.Replicas != 3 || c.Image != "ghcr.io/acme/qa-bot:1.4.2" || c.Ports[0].ContainerPort != 8000 || c.ReadinessProbe.HTTPGet.Path != "/health" ||
		c.EnvFrom[0].ConfigMapRef.Name != "qa-bot" || c.Resources.Requests.Cpu().String() != "500m" || c.Resources.Limits.Memory().String() != "1Gi" {
		t.Errorf("deployment = %+v", dep.Spec)
	}
	refs := map[string]string{}
	for _, e := range c.Env {
		refs[e.Name] = e.ValueFrom.SecretKeyRef.Name + "/" + e.ValueFrom.SecretKeyRef.Key
	}
	if refs["LM_API_KEY"] != "openai/api-key" || refs["DB_PASSWORD"] != "db/password" {
		t.Errorf("secrets must be references to existing Secrets: %v", refs)
	}
	if ic := dep.Spec.Template.Spec.InitContainers; len(ic) != 1 || ic[0].Args[len(ic[0].Args)-1] != "https://example.com/qa/program.json" {
		t.Errorf("an https program is fetched by an init container: %+v", ic)
	}
	if svc.Spec.Ports[0].Port != 8000 || svc.Spec.Selector["dspy/service"] != "qa-bot" {
		t.Errorf("service = %+v", svc.Spec)
	}
	if *hpa.Spec.MinReplicas != 2 || hpa.Spec.MaxReplicas != 10 || len(hpa.Spec.Metrics) != 2 || *hpa.Spec.Metrics[0].Resource.Target.AverageUtilization != 60 ||
		hpa.Spec.Metrics[1].Pods.Metric.Name != "dspy_tokens_per_minute" || hpa.Spec.Metrics[1].Pods.Target.AverageValue.String() != "40k" {
		t.Errorf("hpa = %+v", hpa.Spec)
	}
	if strings.Contains(out, "status:") {
		t.Error("status is the cluster's to write")
	}
	if pdb.Spec.MinAvailable.String() != "75%" {
		t.Errorf("pdb = %+v", pdb.Spec)
	}
}

func TestCompose(t *testing.T) {
	t.Parallel()
	out, err := Compose(service(), options())
	if err != nil {
		t.Fatal(err)
	}
	var f ComposeFile
	if err := yaml.UnmarshalStrict([]byte(out), &f); err != nil {
		t.Fatalf("compose does not decode: %v\n%s", err, out)
	}
	s := f.Services["qa-bot"]
	if s.Image != "ghcr.io/acme/qa-bot:1.4.2" || s.Ports[0] != "8000:8000" || s.Deploy.Replicas != 3 || s.Environment["LM_MODEL"] != "openai/gpt-4o-mini" ||
		s.Environment["LM_API_KEY_FILE"] != "/run/secrets/openai" || s.Environment["DB_PASSWORD_FILE"] != "/run/secrets/db" || s.Healthcheck.Test[3] != "http://localhost:8000/health" {
		t.Errorf("compose service = %+v", s)
	}
	if !f.Secrets["openai"].External || !f.Secrets["db"].External {
		t.Errorf("secrets must be external: %+v", f.Secrets)
	}
	if strings.Contains(out, "api-key\n") && strings.Contains(out, "LM_API_KEY:") {
		t.Error("no key value may appear")
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	s := service()
	if ps := Validate(s, options()); len(ps) != 0 {
		t.Fatalf("valid: %v", ps)
	}
	s.LM.APIKeySecret = "sk-proj-1234567890abcdefghij"
	s.Container.SecretEnv = map[string]string{"DB": "password"}
	s.Capacity.Min = 0
	o := options()
	o.CPUTargetPercent = ptr64(150)
	got := map[string]bool{}
	for _, p := range Validate(s, o) {
		got[p.Path.String()] = true
	}
	for _, want := range []string{"lm.api_key_secret", `container.secret_env["DB"]`, "replicas.min", "autoscaling.cpu_target_percent"} {
		if !got[want] {
			t.Errorf("no problem at %s: %v", want, got)
		}
	}
}
