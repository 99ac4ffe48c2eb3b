package manifest

import (
	"bytes"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func ptr[T any](v T) *T { return &v }

// Kubernetes renders a ConfigMap (LM and DSPy settings), a Deployment, a Service, a
// HorizontalPodAutoscaler (CPU and the DSPy per-pod metrics) and a PodDisruptionBudget, as one
// multi-document YAML.
func Kubernetes(s *spec.Service, o Options) (string, error) {
	labels := map[string]string{"app.kubernetes.io/name": s.Name, "app.kubernetes.io/managed-by": "terraform-provider-dspy", "dspy/service": s.Name}
	meta := func(string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Name: s.Name, Namespace: o.Namespace, Labels: labels}
	}
	stateDir := bootstrap.StateDir(s)
	cm := &corev1.ConfigMap{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}, ObjectMeta: meta("ConfigMap"), Data: plainEnv(s)}

	var env []corev1.EnvVar
	if s.LM.APIKeySecret != "" {
		name, key := secretParts(s.LM.APIKeySecret)
		env = append(env, corev1.EnvVar{Name: "LM_API_KEY", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: name}, Key: key}}})
	}
	for _, k := range sortedKeys(s.Container.SecretEnv) {
		name, key := secretParts(s.Container.SecretEnv[k])
		env = append(env, corev1.EnvVar{Name: k, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: name}, Key: key}}})
	}
	port := int32(s.Container.Port)
	probe := func(delay int32) *corev1.Probe {
		return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: s.Container.HealthPath, Port: intstr.FromInt32(port)}}, InitialDelaySeconds: delay, PeriodSeconds: 10}
	}
	container := corev1.Container{
		Name:           "dspy",
		Image:          s.Container.Image,
		Ports:          []corev1.ContainerPort{{Name: "http", ContainerPort: port}},
		EnvFrom:        []corev1.EnvFromSource{{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: s.Name}}}},
		Env:            env,
		ReadinessProbe: probe(5),
		LivenessProbe:  probe(30),
		VolumeMounts:   []corev1.VolumeMount{{Name: "dspy-state", MountPath: stateDir}},
		SecurityContext: &corev1.SecurityContext{AllowPrivilegeEscalation: ptr(false), RunAsNonRoot: ptr(true),
			Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}}},
	}
	if len(s.Container.Command) > 0 {
		container.Command = s.Container.Command
	}
	if len(s.Container.Args) > 0 {
		container.Args = s.Container.Args
	}
	if o.CPU != "" || o.Memory != "" {
		rl := corev1.ResourceList{}
		if o.CPU != "" {
			rl[corev1.ResourceCPU] = resource.MustParse(o.CPU)
		}
		if o.Memory != "" {
			rl[corev1.ResourceMemory] = resource.MustParse(o.Memory)
		}
		container.Resources = corev1.ResourceRequirements{Requests: rl, Limits: rl}
	}
	pod := corev1.PodSpec{
		Containers: []corev1.Container{container},
		Volumes:    []corev1.Volume{{Name: "dspy-state", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
	}
	if s.Program != nil && strings.HasPrefix(s.Program.ArtifactURI, "https://") {
		img := o.ProgramDownloaderImage
		if img == "" {
			img = "curlimages/curl:8.11.1"
		}
		pod.InitContainers = []corev1.Container{{Name: "fetch-program", Image: img,
			Args:         []string{"-fsSL", "--retry", "5", "-o", bootstrap.ProgramPath(s), s.Program.ArtifactURI},
			VolumeMounts: []corev1.VolumeMount{{Name: "dspy-state", MountPath: stateDir}}}}
	}
	replicas := int32(s.Capacity.InitialSize())
	dep := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: meta("Deployment"),
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"dspy/service": s.Name}},
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{
				MaxUnavailable: ptr(intstr.FromString(pct(s.Rollout.MaxUnavailablePercent))), MaxSurge: ptr(intstr.FromString(pct(s.Rollout.MaxUnavailablePercent))),
			}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels, Annotations: map[string]string{
				"prometheus.io/scrape": "true", "prometheus.io/path": s.Container.MetricsPath, "prometheus.io/port": itoa(s.Container.Port)}}, Spec: pod},
		},
	}
	svc := &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: meta("Service"),
		Spec: corev1.ServiceSpec{Selector: map[string]string{"dspy/service": s.Name},
			Ports: []corev1.ServicePort{{Name: "http", Port: port, TargetPort: intstr.FromString("http")}}},
	}
	var metrics []autoscalingv2.MetricSpec
	if t := o.CPUTargetPercent; t != nil {
		metrics = append(metrics, autoscalingv2.MetricSpec{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
			Name: corev1.ResourceCPU, Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr(int32(*t))}}})
	}
	for _, m := range []struct {
		name string
		v    *int64
	}{{"dspy_tokens_per_minute", o.TokensPerMinute}, {"dspy_lm_calls_per_minute", o.LMCallsPerMinute}} {
		if m.v != nil {
			metrics = append(metrics, autoscalingv2.MetricSpec{Type: autoscalingv2.PodsMetricSourceType, Pods: &autoscalingv2.PodsMetricSource{
				Metric: autoscalingv2.MetricIdentifier{Name: m.name}, Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: ptr(resource.MustParse(itoa(*m.v)))}}})
		}
	}
	hpa := &autoscalingv2.HorizontalPodAutoscaler{
		TypeMeta:   metav1.TypeMeta{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"},
		ObjectMeta: meta("HorizontalPodAutoscaler"),
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: s.Name},
			MinReplicas:    ptr(int32(s.Capacity.Min)), MaxReplicas: int32(s.Capacity.Max), Metrics: metrics,
		},
	}
	pdb := &policyv1.PodDisruptionBudget{
		TypeMeta:   metav1.TypeMeta{APIVersion: "policy/v1", Kind: "PodDisruptionBudget"},
		ObjectMeta: meta("PodDisruptionBudget"),
		Spec: policyv1.PodDisruptionBudgetSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"dspy/service": s.Name}},
			MinAvailable: ptr(intstr.FromString(pct(s.Rollout.MinHealthyPercent)))},
	}
	var out bytes.Buffer
	for i, obj := range []any{cm, dep, svc, hpa, pdb} {
		b, err := withoutStatus(obj)
		if err != nil {
			return "", err
		}
		if i > 0 {
			out.WriteString("---\n")
		}
		out.Write(b)
	}
	return out.String(), nil
}

func itoa(v int64) string { return fmtInt(v) }

func pct(v int64) string { return fmtInt(v) + "%" }

// withoutStatus marshals an object without its status, which is the cluster's to write.
func withoutStatus(obj any) ([]byte, error) {
	b, err := yaml.Marshal(obj)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	delete(m, "status")
	return yaml.Marshal(m)
}
