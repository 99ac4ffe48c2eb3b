package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// policyFrom converts a fully known model and checks it once more.
func policyFrom(ctx context.Context, m *scalingPolicyModel, d *diag.Diagnostics) (*spec.ScalingPolicy, spec.ServiceID, bool) {
	c := newConverter(ctx)
	p := m.toSpec(c)
	d.Append(c.diags...)
	id, err := spec.ParseServiceID(m.ServiceID.ValueString())
	if err != nil {
		d.AddError("Invalid Service ID", err.Error())
		return nil, id, false
	}
	addProblems(d, p.Validate(spec.ServiceFacts{ID: id, Known: true}))
	return p, id, !d.HasError()
}

func (r *scalingPolicyResource) apply(ctx context.Context, m *scalingPolicyModel, prior *cloud.PolicyStatus, d *diag.Diagnostics, op string) {
	p, id, ok := policyFrom(ctx, m, d)
	if !ok {
		return
	}
	api, err := r.policyAPI(ctx, id)
	if err != nil {
		addCloudError(d, "Unable to "+op+" Scaling Policy", err)
		return
	}
	st, err := api.Apply(ctx, id, p, prior)
	if err != nil {
		addCloudError(d, "Unable to "+op+" Scaling Policy", err)
		return
	}
	var dd diag.Diagnostics
	m.Native, dd = types.MapValueFrom(ctx, types.StringType, st.Native)
	d.Append(dd...)
	m.ID, m.Cloud = types.StringValue(id.String()), types.StringValue(string(id.Cloud))
}

func (r *scalingPolicyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m scalingPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := policyTimeouts.limit(ctx, m.Timeouts, opCreate, &resp.Diagnostics)
	defer cancel()
	r.apply(ctx, &m, nil, &resp.Diagnostics, "Create")
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *scalingPolicyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior scalingPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := policyTimeouts.limit(ctx, m.Timeouts, opUpdate, &resp.Diagnostics)
	defer cancel()
	c := newConverter(ctx)
	priorSpec := prior.toSpec(c)
	resp.Diagnostics.Append(c.diags...)
	r.apply(ctx, &m, &cloud.PolicyStatus{Native: stringMapOf(ctx, prior.Native), Spec: priorSpec}, &resp.Diagnostics, "Update")
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *scalingPolicyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m scalingPolicyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	api, id, ok := backendFor(ctx, m.ServiceID, "Unable to Read Scaling Policy", &resp.Diagnostics, r.policyAPI)
	if !ok {
		return
	}
	importing := m.Target.IsNull() && m.Rule.IsNull() && m.Predictive.IsNull() && m.Schedule.IsNull()
	var p *spec.ScalingPolicy
	if !importing {
		c := newConverter(ctx)
		p = m.toSpec(c)
		resp.Diagnostics.Append(c.diags...)
	}
	st, err := api.Read(ctx, id, p, &cloud.PolicyStatus{Native: stringMapOf(ctx, m.Native)})
	if errors.Is(err, cloud.ErrNotFound) {
		tflog.Warn(ctx, "the service of the scaling policy is gone; removing the policy from state", map[string]any{"service_id": id.String()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Read Scaling Policy", err)
		return
	}
	if importing {
		resp.Diagnostics.Append(m.fromSpec(ctx, st.Spec)...)
		m.Cloud = types.StringValue(string(id.Cloud))
	}
	resp.Diagnostics.Append(m.dropMissing(ctx, st.Missing)...)
	var dd diag.Diagnostics
	m.Native, dd = types.MapValueFrom(ctx, types.StringType, st.Native)
	resp.Diagnostics.Append(dd...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *scalingPolicyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m scalingPolicyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := policyTimeouts.limit(ctx, m.Timeouts, opDelete, &resp.Diagnostics)
	defer cancel()
	api, id, ok := backendFor(ctx, m.ServiceID, "Unable to Delete Scaling Policy", &resp.Diagnostics, r.policyAPI)
	if !ok {
		return
	}
	if err := api.Delete(ctx, id, &cloud.PolicyStatus{Native: stringMapOf(ctx, m.Native)}); err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Delete Scaling Policy", err)
	}
}

// dropMissing removes from state the blocks whose cloud objects are gone, so the plan adds them back.
func (m *scalingPolicyModel) dropMissing(ctx context.Context, missing []string) diag.Diagnostics {
	var d diag.Diagnostics
	drop := map[string]map[int]bool{}
	for _, part := range missing {
		if part == "predictive" {
			m.Predictive = types.ObjectNull(m.Predictive.AttributeTypes(ctx))
			continue
		}
		name, idx, ok := strings.Cut(strings.TrimSuffix(part, "]"), "[")
		if !ok {
			continue
		}
		var i int
		if _, err := fmt.Sscan(idx, &i); err == nil {
			if drop[name] == nil {
				drop[name] = map[int]bool{}
			}
			drop[name][i] = true
		}
	}
	filter := func(l types.List, gone map[int]bool) types.List {
		if len(gone) == 0 || l.IsNull() || l.IsUnknown() {
			return l
		}
		var keep []attr.Value
		for i, e := range l.Elements() {
			if !gone[i] {
				keep = append(keep, e)
			}
		}
		out, dd := types.ListValue(l.ElementType(ctx), keep)
		d.Append(dd...)
		return out
	}
	m.Target, m.Rule, m.Schedule = filter(m.Target, drop["target"]), filter(m.Rule, drop["rule"]), filter(m.Schedule, drop["schedule"])
	return d
}
