package provider

import (
	"context"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// withAttr returns obj with one attribute replaced; a null object stays null.
func withAttr(obj types.Object, name string, v attr.Value) (types.Object, diag.Diagnostics) {
	if obj.IsNull() || obj.IsUnknown() {
		return obj, nil
	}
	attrs := maps.Clone(obj.Attributes())
	attrs[name] = v
	return types.ObjectValue(obj.AttributeTypes(context.Background()), attrs)
}

// applyStatus writes what the cloud reports into the model: computed attributes, and the observed
// values of settings that can drift (min, max, tags, grace period, algorithm), so an out-of-band
// change shows up in the next plan.
func (m *serviceModel) applyStatus(ctx context.Context, st *cloud.ServiceStatus, defaults map[string]string) diag.Diagnostics {
	var d diag.Diagnostics
	var dd diag.Diagnostics
	native := maps.Clone(st.Native)
	if len(st.Missing) > 0 {
		native[cloud.NativeMissing] = strings.Join(st.Missing, ",")
		if st.MissingForcesReplacement {
			native[cloud.NativeMissingReplace] = "true"
		}
	}
	m.Native, dd = types.MapValueFrom(ctx, types.StringType, native)
	d.Append(dd...)
	m.CurrentCapacity = types.Int64Value(st.CurrentCapacity)
	m.StartupHash = types.StringValue(st.StartupHash)
	m.RolloutStatus = types.StringValue(st.RolloutStatus)
	m.Capacity, dd = withAttr(m.Capacity, "min", types.Int64Value(st.Min))
	d.Append(dd...)
	m.Capacity, dd = withAttr(m.Capacity, "max", types.Int64Value(st.Max))
	d.Append(dd...)
	m.Health, dd = withAttr(m.Health, "grace_period_seconds", types.Int64Value(st.GracePeriodSeconds))
	d.Append(dd...)
	m.Health, dd = withAttr(m.Health, "auto_repair", types.BoolValue(st.AutoRepair))
	d.Append(dd...)
	switch {
	case st.Algorithm != "":
		m.LoadBalancing, dd = withAttr(m.LoadBalancing, "algorithm", types.StringValue(st.Algorithm))
		d.Append(dd...)
	case len(st.Missing) > 0:
		// The load balancer is gone or detached: no algorithm is in effect, and the plan shows it.
		m.LoadBalancing, dd = withAttr(m.LoadBalancing, "algorithm", types.StringNull())
		d.Append(dd...)
	}
	if st.Tags != nil {
		m.TagsAll, dd = types.MapValueFrom(ctx, types.StringType, st.Tags)
		d.Append(dd...)
		own := map[string]string{}
		for k, v := range st.Tags {
			if k == spec.ServiceTagKey(spec.Cloud(m.Cloud.ValueString())) {
				continue
			}
			if dv, ok := defaults[k]; ok && dv == v {
				continue
			}
			own[k] = v
		}
		if len(own) > 0 || !m.Tags.IsNull() {
			m.Tags, dd = types.MapValueFrom(ctx, types.StringType, own)
			d.Append(dd...)
		}
	}
	return d
}

// priorStatus rebuilds what the last apply recorded, for Update and Delete.
func (m *serviceModel) priorStatus(ctx context.Context, c *converter, s *spec.Service) *cloud.ServiceStatus {
	st := &cloud.ServiceStatus{
		Native:        map[string]string{},
		StartupHash:   m.StartupHash.ValueString(),
		RolloutStatus: m.RolloutStatus.ValueString(),
		Min:           s.Capacity.Min, Max: s.Capacity.Max,
		GracePeriodSeconds: s.Health.GracePeriodSeconds,
		AutoRepair:         s.Health.AutoRepair,
		Tags:               c.stringMap(m.TagsAll, spec.Root("tags_all")),
	}
	if !m.Native.IsNull() && !m.Native.IsUnknown() {
		_ = m.Native.ElementsAs(ctx, &st.Native, false)
	}
	if v := st.Native[cloud.NativeMissing]; v != "" {
		st.Missing = strings.Split(v, ",")
		st.MissingForcesReplacement = st.Native[cloud.NativeMissingReplace] == "true"
	}
	if s.LoadBalancing != nil {
		st.Algorithm = s.LoadBalancing.Algorithm
	}
	return st
}
