package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// fromSpec fills the configuration attributes of the model from a service restored by the backend,
// the inverse of toSpec, so that an import is followed by an empty plan.
func (m *serviceModel) fromSpec(ctx context.Context, s *spec.Service) diag.Diagnostics {
	var d diag.Diagnostics
	types_ := blockTypes(ctx)
	obj := func(name string, v any) types.Object {
		o, dd := types.ObjectValueFrom(ctx, types_[name], v)
		d.Append(dd...)
		return o
	}
	null := func(name string) types.Object { return types.ObjectNull(types_[name]) }
	strOr := func(v string) types.String {
		if v == "" {
			return types.StringNull()
		}
		return types.StringValue(v)
	}
	list := func(vs []string) types.List {
		if len(vs) == 0 {
			return types.ListNull(types.StringType)
		}
		l, dd := types.ListValueFrom(ctx, types.StringType, vs)
		d.Append(dd...)
		return l
	}
	smap := func(vs map[string]string) types.Map {
		if len(vs) == 0 {
			return types.MapNull(types.StringType)
		}
		mv, dd := types.MapValueFrom(ctx, types.StringType, vs)
		d.Append(dd...)
		return mv
	}
	i64 := types.Int64PointerValue
	nonZero := func(v int64) types.Int64 {
		if v == 0 {
			return types.Int64Null()
		}
		return types.Int64Value(v)
	}
	f64 := types.Float64PointerValue

	m.Name = types.StringValue(s.Name)
	m.Description = strOr(s.Description)
	m.Tags = smap(s.Tags)
	m.Container = obj("container", containerModel{
		Image: types.StringValue(s.Container.Image), Port: types.Int64Value(s.Container.Port),
		Command: list(s.Container.Command), Args: list(s.Container.Args), Env: smap(s.Container.Env), SecretEnv: smap(s.Container.SecretEnv),
		HealthPath: types.StringValue(s.Container.HealthPath), MetricsPath: types.StringValue(s.Container.MetricsPath),
	})
	m.LM = null("lm")
	if s.HasBlock("lm") {
		cache := null("lm.cache")
		if s.HasBlock("lm.cache") {
			cache = obj("lm.cache", lmCacheModel{Enabled: types.BoolValue(s.LM.Cache.Enabled), TTLSeconds: i64(s.LM.Cache.TTLSeconds)})
		}
		m.LM = obj("lm", lmModel{Model: types.StringValue(s.LM.Model), APIBase: strOr(s.LM.APIBase), APIKeySecret: strOr(s.LM.APIKeySecret),
			MaxTokens: i64(s.LM.MaxTokens), Temperature: f64(s.LM.Temperature), Cache: cache})
	}
	m.Program = null("program")
	if s.Program != nil {
		m.Program = obj("program", programModel{ArtifactURI: types.StringValue(s.Program.ArtifactURI)})
	}
	m.Capacity = obj("capacity", capacityModel{Min: types.Int64Value(s.Capacity.Min), Max: types.Int64Value(s.Capacity.Max), Initial: i64(s.Capacity.Initial)})
	spot := null("instance.spot")
	if sp := s.Instance.Spot; sp != nil {
		spot = obj("instance.spot", spotModel{Enabled: types.BoolValue(sp.Enabled), OnDemandBase: types.Int64Value(sp.OnDemandBase),
			OnDemandPercentAboveBase: types.Int64Value(sp.OnDemandPercentAboveBase), Strategy: types.StringValue(sp.Strategy), MaxPrice: f64(sp.MaxPrice)})
	}
	configured := s.Instance.Type
	if s.Instance.TypeChosen {
		configured = "" // chosen for vcpus and memory_gib, which the configuration gives
	}
	m.Instance = obj("instance", instanceModel{Type: strOr(configured), SelectedType: strOr(s.Instance.Type), Types: list(s.Instance.Types), VCPUs: i64(s.Instance.VCPUs),
		MemoryGiB: f64(s.Instance.MemoryGiB), DiskGiB: types.Int64Value(s.Instance.DiskGiB), Architecture: types.StringValue(s.Instance.Architecture), Spot: spot,
		DiskType: strOr(s.Instance.Disk.Type), DiskIOPS: nonZero(s.Instance.Disk.IOPS), DiskMBps: nonZero(s.Instance.Disk.ThroughputMBps)})
	m.Rollout = null("rollout")
	if s.HasBlock("rollout") {
		r := s.Rollout
		m.Rollout = obj("rollout", rolloutModel{MaxUnavailablePercent: types.Int64Value(r.MaxUnavailablePercent), MinHealthyPercent: types.Int64Value(r.MinHealthyPercent),
			AutoRollback: types.BoolValue(r.AutoRollback), Wait: types.BoolValue(r.Wait)})
	}
	m.Health = null("health")
	if s.HasBlock("health") {
		m.Health = obj("health", healthModel{GracePeriodSeconds: types.Int64Value(s.Health.GracePeriodSeconds), AutoRepair: types.BoolValue(s.Health.AutoRepair)})
	}
	m.LoadBalancing = null("load_balancing")
	if s.LoadBalancing != nil {
		m.LoadBalancing = obj("load_balancing", loadBalancingModel{Algorithm: types.StringValue(s.LoadBalancing.Algorithm)})
	}
	m.State = null("state")
	if st := s.State; st != nil {
		m.State = obj("state", stateVolumeModel{SizeGiB: types.Int64Value(st.SizeGiB), MountPath: types.StringValue(st.MountPath),
			DiskType: strOr(st.Disk.Type), IOPS: nonZero(st.Disk.IOPS), ThroughputMBps: nonZero(st.Disk.ThroughputMBps)})
	}
	m.AWS, m.GCP, m.Azure = null("aws"), null("gcp"), null("azure")
	if a := s.AWS; a != nil {
		m.AWS = obj("aws", awsPlacementModel{Region: strOr(a.Region), SubnetIDs: list(a.SubnetIDs), SecurityGroupIDs: list(a.SecurityGroupIDs), VPCID: strOr(a.VPCID),
			InstanceProfile: strOr(a.InstanceProfile), AMIID: strOr(a.AMIID), AssociatePublicIPAddress: types.BoolValue(a.AssociatePublicIP)})
	}
	if g := s.GCP; g != nil {
		m.GCP = obj("gcp", gcpPlacementModel{Project: strOr(g.Project), Region: strOr(g.Region), Zones: list(g.Zones), Network: strOr(g.Network),
			Subnetwork: strOr(g.Subnetwork), ServiceAccount: strOr(g.ServiceAccount), Image: strOr(g.Image)})
	}
	if z := s.Azure; z != nil {
		m.Azure = obj("azure", azurePlacementModel{ResourceGroup: strOr(z.ResourceGroup), Location: strOr(z.Location), SubnetID: strOr(z.SubnetID),
			Zones: list(z.Zones), Image: strOr(z.Image), IdentityID: strOr(z.IdentityID),
			PublicIP: types.BoolValue(z.PublicIP)})
	}
	return d
}

// blockTypes returns the object type of every nested block of dspy_service, keyed by dotted path.
func blockTypes(ctx context.Context) map[string]map[string]attr.Type {
	out := map[string]map[string]attr.Type{}
	var walk func(prefix string, t attr.Type)
	walk = func(prefix string, t attr.Type) {
		ot, ok := t.(types.ObjectType)
		if !ok {
			return
		}
		out[prefix] = ot.AttrTypes
		for name, at := range ot.AttrTypes {
			walk(prefix+"."+name, at)
		}
	}
	for name, b := range serviceSchema(ctx).Blocks {
		walk(name, b.Type())
	}
	for k := range out {
		if strings.HasPrefix(k, "timeouts") {
			delete(out, k)
		}
	}
	return out
}
