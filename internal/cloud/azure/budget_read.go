package azure

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Read returns the budget as Azure has it: its notifications with the action group's emails, and
// its token budget when the alert and the hand-off to the service both say so (otherwise the plan
// shows the token budget to add). A budget deleted out of band whose action group, alert or tags
// remain is reported without its Budget, to stay in state until Update makes it again or Delete
// removes the rest. A budget of the name that is another owner's is ErrNotFound.
func (a *BudgetAPI) Read(ctx context.Context, ref cloud.BudgetRef) (*cloud.BudgetStatus, error) {
	f, err := a.find(ctx, ref.Name)
	if err != nil {
		return nil, err
	}
	owner := ref.Owner()
	if f != nil && owner != "" && f.owner != owner {
		tflog.Warn(ctx, "the budget of this name does not name this resource's action group: it is not this resource's", map[string]any{"budget": ref.Name})
		return nil, cloud.ErrNotFound
	}
	if f != nil && owner == "" {
		owner = f.owner
	}
	group := a.stateGroup(ctx, ref, f)
	var applied *spec.Budget
	if group != nil {
		if enc := SpecOfTags(group.Tags); enc != "" {
			applied = &spec.Budget{}
			if err := spec.Decode(enc, applied); err != nil {
				applied = nil
			}
		}
	}
	services := ref.Services
	if services == nil && applied != nil {
		services = applied.Scope.ServiceIDs
	}
	st := &cloud.BudgetStatus{Native: map[string]string{}}
	if owner != "" {
		st.Native[cloud.NativeOwner] = owner
	}
	if group != nil {
		st.Native[nativeActionGroup] = *group.ID
	}
	if f != nil {
		st.Native["budget"] = ref.Name
		if p := f.budget.Properties; p != nil && p.TimePeriod != nil && p.TimePeriod.StartDate != nil {
			st.Native[nativeStartDate] = p.TimePeriod.StartDate.UTC().Format("2006-01-02")
		}
		gid := ""
		if group != nil {
			gid = *group.ID
		}
		st.Budget = BudgetOf(f.budget, gid, groupEmails(group), applied, a.serviceID(services, gid))
	}
	alert, err := a.tokenAlert(ctx, services, ref.Name, owner)
	if err != nil {
		return nil, err
	}
	handed, err := a.handedTokens(ctx, services)
	if err != nil {
		return nil, err
	}
	if alert != nil {
		st.Native[nativeTokenAlert] = *alert.ID
		tb := ParseTokenAlert(alert)
		if st.Budget != nil && tb != nil && alertThreshold(alert) == TokenAlertThreshold(tb) && handed == tb.MonthlyTokens {
			st.Budget.TokenBudget = tb
		}
	}
	if f == nil && group == nil && alert == nil && handed == 0 {
		return nil, cloud.ErrNotFound
	}
	return st, nil
}

// stateGroup is the budget's action group, if it exists and is the owner's: the one the budget
// names, else the one of the state's native map or its services' resource group (the budget was
// deleted out of band).
func (a *BudgetAPI) stateGroup(ctx context.Context, ref cloud.BudgetRef, f *found) *armmonitor.ActionGroupResource {
	if f != nil && f.group != nil {
		return f.group
	}
	rg, ok := home(ref.Services)
	if id := ref.Native[nativeActionGroup]; id != "" {
		_, rg = parseGroupID(id)
		ok = true
	}
	if !ok || ref.Owner() == "" {
		return nil
	}
	g, err := a.ownedGroup(ctx, rg, ActionGroupName(ref.Name), ref.Name)
	if err != nil || g == nil || tagValue(g.Tags, TagOwner) != ref.Owner() {
		return nil
	}
	return g
}

// serviceID names a service of the budget's filter: the known id with that name, else one in the
// action group's resource group (where a budget's first service is).
func (a *BudgetAPI) serviceID(known []string, group string) func(string) string {
	return func(name string) string {
		for _, s := range known {
			if id, err := spec.ParseServiceID(s); err == nil && id.Name == name {
				return s
			}
		}
		_, rg := parseGroupID(group)
		return spec.ServiceID{Cloud: spec.Azure, Scope: rg, Name: name}.String()
	}
}

// alertThreshold is the threshold of a token alert's criterion (-1 when it has none).
func alertThreshold(a *armmonitor.MetricAlertResource) float64 {
	if c, ok := a.Properties.Criteria.(*armmonitor.MetricAlertSingleResourceMultipleMetricCriteria); ok && len(c.AllOf) == 1 && c.AllOf[0].Threshold != nil {
		return *c.AllOf[0].Threshold
	}
	return -1
}
