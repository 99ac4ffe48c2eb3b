package aws

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// A token budget lives where its services run: each service's SSM parameter in the service's
// region (where its instances read it), and the alarm in the services' region (where they publish
// their token metrics). Budgets themselves are global.

// regionClients are the regional clients of a token budget.
type regionClients struct {
	cw  *cloudwatch.Client
	ssm *ssm.Client
}

// in returns the clients of region ("": the session's region).
func (a *BudgetAPI) in(region string) regionClients {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.regions[region]; ok {
		return c
	}
	c := regionClients{cw: newCloudWatch(a.sess, region), ssm: newSSM(a.sess, region)}
	a.regions[region] = c
	return c
}

// tokenRegion is the region of a token budget's alarm: the region of the budget's services (one
// region: spec validation refuses a token budget across regions), else the session's.
func (a *BudgetAPI) tokenRegion(services []string) string {
	if regions := slices.Sorted(maps.Keys(ServicesByRegion(services))); len(regions) > 0 {
		return regions[0]
	}
	return a.region
}

// TokenParameterDescription marks a token parameter as budget's: only the budget it names writes,
// adopts or deletes it.
func TokenParameterDescription(budget string) string {
	return "monthly LM token budget from dspy_budget " + budget
}

// maxParameterNames is how many names GetParameters and DeleteParameters take in one call.
const maxParameterNames = 10

func chunks(names []string) [][]string {
	var out [][]string
	for len(names) > maxParameterNames {
		out = append(out, names[:maxParameterNames])
		names = names[maxParameterNames:]
	}
	if len(names) > 0 {
		out = append(out, names)
	}
	return out
}

func tokenParameterNames(services []string) []string {
	out := make([]string, len(services))
	for i, s := range services {
		out[i] = bootstrap.TokenBudgetParameter(s)
	}
	return out
}

// parameterOwners returns the description of each of names that exists in region.
func (a *BudgetAPI) parameterOwners(ctx context.Context, region string, names []string) (map[string]string, error) {
	out := map[string]string{}
	if len(names) == 0 {
		return out, nil
	}
	p := ssm.NewDescribeParametersPaginator(a.in(region).ssm, &ssm.DescribeParametersInput{
		ParameterFilters: []ssmtypes.ParameterStringFilter{{Key: sdkaws.String("Name"), Option: sdkaws.String("Equals"), Values: names}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describing the token budget parameters %v in %s: %w", names, region, err)
		}
		for _, m := range page.Parameters {
			out[sdkaws.ToString(m.Name)] = sdkaws.ToString(m.Description)
		}
	}
	return out, nil
}

// ownedParameters returns, by service id, the value of each service's token parameter that budget
// owns.
func (a *BudgetAPI) ownedParameters(ctx context.Context, budget string, services []string) (map[string]string, error) {
	out := map[string]string{}
	for region, names := range ServicesByRegion(services) {
		params := tokenParameterNames(names)
		owners, err := a.parameterOwners(ctx, region, params)
		if err != nil {
			return nil, err
		}
		var mine []string
		for _, p := range params {
			if owners[p] == TokenParameterDescription(budget) {
				mine = append(mine, p)
			}
		}
		for _, c := range chunks(mine) {
			got, err := a.in(region).ssm.GetParameters(ctx, &ssm.GetParametersInput{Names: c})
			if err != nil {
				return nil, fmt.Errorf("reading the token budget parameters %v in %s: %w", c, region, err)
			}
			for _, p := range got.Parameters {
				for i, n := range params {
					if n == sdkaws.ToString(p.Name) {
						out[spec.ServiceID{Cloud: spec.AWS, Scope: region, Name: names[i]}.String()] = sdkaws.ToString(p.Value)
					}
				}
			}
		}
	}
	return out, nil
}

// putTokenParameters hands the token budget to each service, in its region: the service reads
// its parameter at run time (the bootstrap sets DSPY_TOKEN_BUDGET_PARAMETER) and can refuse work past
// it. A parameter another budget (or anyone else) wrote is left alone and reported.
func (a *BudgetAPI) putTokenParameters(ctx context.Context, b *spec.Budget, undo *cloud.Undo) error {
	byRegion := ServicesByRegion(b.Scope.ServiceIDs)
	for _, region := range slices.Sorted(maps.Keys(byRegion)) {
		c := a.in(region).ssm
		params := tokenParameterNames(byRegion[region])
		owners, err := a.parameterOwners(ctx, region, params)
		if err != nil {
			return err
		}
		for _, name := range params {
			if d, ok := owners[name]; ok && d != TokenParameterDescription(b.Name) {
				return fmt.Errorf("SSM parameter %s in %s already exists and is not this budget's (its description is %q): a service takes its token budget from one dspy_budget. "+
					"Remove token_budget from the budget that owns it, or delete the parameter", name, region, d)
			}
			if _, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: sdkaws.String(name), Type: ssmtypes.ParameterTypeString, Overwrite: sdkaws.Bool(true),
				Value: sdkaws.String(strconv.FormatInt(b.TokenBudget.MonthlyTokens, 10)), Description: sdkaws.String(TokenParameterDescription(b.Name))}); err != nil {
				return fmt.Errorf("handing the token budget to %s in %s: %w", name, region, err)
			}
			undo.Push("token budget parameter "+name+" in "+region, func(ctx context.Context) error {
				_, err := c.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: sdkaws.String(name)})
				if isParameterNotFound(err) {
					return nil
				}
				return err
			})
		}
	}
	return nil
}

// dropTokenParameters removes the token budget parameters budget owns among the services'.
func (a *BudgetAPI) dropTokenParameters(ctx context.Context, budget string, services []string) error {
	for region, names := range ServicesByRegion(services) {
		params := tokenParameterNames(names)
		owners, err := a.parameterOwners(ctx, region, params)
		if err != nil {
			return err
		}
		var mine []string
		for _, p := range params {
			if d, ok := owners[p]; ok && d == TokenParameterDescription(budget) {
				mine = append(mine, p)
			}
		}
		for _, c := range chunks(mine) {
			// Names already gone come back in InvalidParameters, not as an error.
			if _, err := a.in(region).ssm.DeleteParameters(ctx, &ssm.DeleteParametersInput{Names: c}); err != nil {
				return fmt.Errorf("removing the token budget parameters %v in %s: %w", c, region, err)
			}
		}
	}
	return nil
}

func isParameterNotFound(err error) bool {
	var nf *ssmtypes.ParameterNotFound
	return errors.As(err, &nf)
}

// putTokenAlarm puts the token budget's alarm in the services' region.
func (a *BudgetAPI) putTokenAlarm(ctx context.Context, b *spec.Budget, in *cloudwatch.PutMetricAlarmInput, undo *cloud.Undo) error {
	region := a.tokenRegion(b.Scope.ServiceIDs)
	if _, err := a.in(region).cw.PutMetricAlarm(ctx, in); err != nil {
		return fmt.Errorf("putting the token budget alarm %s in %s: %w", sdkaws.ToString(in.AlarmName), region, err)
	}
	undo.Push("token budget alarm "+sdkaws.ToString(in.AlarmName)+" in "+region, func(ctx context.Context) error {
		return a.dropTokenAlarm(ctx, b.Name, region)
	})
	return nil
}

// dropTokenAlarm deletes budget's token alarm in region; one already gone is no error.
func (a *BudgetAPI) dropTokenAlarm(ctx context.Context, budget, region string) error {
	_, err := a.in(region).cw.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{TokenAlarmName(budget)}})
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "ResourceNotFound" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("deleting the token alarm of budget %s in %s: %w", budget, region, err)
	}
	return nil
}

// tokenState is what exists of a budget's token budget.
type tokenState struct {
	alarm      bool // the alarm exists
	parameters int  // token parameters the budget owns
	// budget is the token budget when the alarm and every service's parameter are in place and
	// agree; nil otherwise, which the next plan shows as token_budget to add.
	budget *spec.TokenBudget
}

func (a *BudgetAPI) readTokens(ctx context.Context, budget string, services []string) (tokenState, error) {
	var st tokenState
	region := a.tokenRegion(services)
	out, err := a.in(region).cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{TokenAlarmName(budget)}})
	if err != nil {
		return st, fmt.Errorf("describing the token alarm of budget %s in %s: %w", budget, region, err)
	}
	var tb *spec.TokenBudget
	if len(out.MetricAlarms) == 1 {
		st.alarm = true
		tb = ParseTokenAlarm(sdkaws.ToString(out.MetricAlarms[0].AlarmDescription))
	}
	values, err := a.ownedParameters(ctx, budget, services)
	if err != nil {
		return st, err
	}
	st.parameters = len(values)
	if tb == nil {
		return st, nil
	}
	want := strconv.FormatInt(tb.MonthlyTokens, 10)
	for region, names := range ServicesByRegion(services) {
		for _, n := range names {
			if values[spec.ServiceID{Cloud: spec.AWS, Scope: region, Name: n}.String()] != want {
				return st, nil
			}
		}
	}
	st.budget = tb
	return st, nil
}

// dropMisplaced removes what versions of this provider before token budgets followed their services'
// region wrote in the session's region for services that run elsewhere: the token alarm (known by its
// description) and the parameters this budget owns, which no instance reads there.
func (a *BudgetAPI) dropMisplaced(ctx context.Context, budget string, services []string) error {
	var here []string
	for region, names := range ServicesByRegion(services) {
		if region == a.region {
			return nil // the services' region is the session's: nothing is misplaced
		}
		for _, n := range names {
			here = append(here, spec.ServiceID{Cloud: spec.AWS, Scope: a.region, Name: n}.String())
		}
	}
	if len(here) == 0 {
		return nil
	}
	out, err := a.in(a.region).cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{TokenAlarmName(budget)}})
	if err != nil {
		return fmt.Errorf("describing the token alarm of budget %s in %s: %w", budget, a.region, err)
	}
	if len(out.MetricAlarms) == 1 && ParseTokenAlarm(sdkaws.ToString(out.MetricAlarms[0].AlarmDescription)) != nil {
		if err := a.dropTokenAlarm(ctx, budget, a.region); err != nil {
			return err
		}
	}
	return a.dropTokenParameters(ctx, budget, here)
}
