package azure

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/consumption/armconsumption"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// A dspy_budget on Azure is a Consumption budget on the subscription, a Monitor action group and,
// with a token budget, a metric alert. A Consumption budget has no tags, so the action group proves
// ownership: it is named after the budget (ActionGroupName) in the first service's resource group,
// tagged TagOwner and TagBudget (and with the applied spec, SpecTags, which import restores), and
// every notification of the budget lists it in contactGroups. A budget is this resource's when it
// names an action group that carries this resource's owner token and the budget's name.

// TagBudget is the tag that ties an action group or a metric alert to its budget.
const TagBudget = "dspy-budget"

// actionGroupShortName is the action groups' short name (at most 12 characters), shown in the
// notifications it sends.
const actionGroupShortName = "dspy-budget"

// ownerNotification is the key of the disabled notification a budget without alerts carries: it
// names the action group (and so the owner) and notifies nobody.
const ownerNotification = "dspy_owner"

// ActionGroupName is the budget's action group.
func ActionGroupName(budget string) string { return "dspy-budget-" + budget }

// ActionGroupID is the id of the budget's action group in group.
func ActionGroupID(subscription, group, budget string) string {
	return ResourceGroupID(subscription, group) + "/providers/Microsoft.Insights/actionGroups/" + ActionGroupName(budget)
}

// SubscriptionScope is the scope of a subscription's budgets.
func SubscriptionScope(subscription string) string { return "/subscriptions/" + subscription }

var timeGrains = map[string]armconsumption.TimeGrainType{"monthly": armconsumption.TimeGrainTypeMonthly,
	"quarterly": armconsumption.TimeGrainTypeQuarterly, "annually": armconsumption.TimeGrainTypeAnnually}

// MonthStart is the first day of now's month (UTC): the start date a budget is created with.
func MonthStart(now time.Time) time.Time {
	now = now.UTC()
	return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// notificationKey keeps an alert's index in its key, so that reading the notifications back keeps
// the configuration's order.
func notificationKey(i int, a spec.BudgetAlert) string {
	return fmt.Sprintf("alert%d_%s_%s", i, a.Kind, strings.ReplaceAll(strconv.FormatFloat(a.ThresholdPercent, 'f', -1, 64), ".", "_"))
}

// BudgetFor is b as a Consumption budget: category Cost, the period's time grain, the amount (in
// the billing currency: Azure budgets have no currency of their own), a filter on the services'
// TagService tags (or the budget's own tags), and one notification per alert on actual or
// forecasted cost that notifies the action group (its email receivers are the alerts' emails) and
// the alert's own action group (topic). start is the first day of the month the budget started.
func BudgetFor(b *spec.Budget, actionGroup string, start time.Time) (*armconsumption.Budget, error) {
	grain, ok := timeGrains[b.Period]
	if !ok {
		return nil, fmt.Errorf("period %q has no Azure budget time grain", b.Period)
	}
	flt, err := budgetFilter(b)
	if err != nil {
		return nil, err
	}
	out := &armconsumption.Budget{Properties: &armconsumption.BudgetProperties{
		Category: to.Ptr(armconsumption.CategoryTypeCost), Amount: to.Ptr(b.Amount), TimeGrain: to.Ptr(grain),
		TimePeriod: &armconsumption.BudgetTimePeriod{StartDate: to.Ptr(start)}, Filter: flt,
		Notifications: map[string]*armconsumption.Notification{},
	}}
	for i, a := range b.Alerts {
		kind := armconsumption.ThresholdTypeActual
		if a.Kind == "forecast" {
			kind = armconsumption.ThresholdTypeForecasted
		}
		groups := []*string{to.Ptr(actionGroup)}
		if a.Topic != "" {
			groups = append(groups, to.Ptr(a.Topic))
		}
		out.Properties.Notifications[notificationKey(i, a)] = &armconsumption.Notification{Enabled: to.Ptr(true),
			Operator: to.Ptr(armconsumption.OperatorTypeGreaterThan), Threshold: to.Ptr(a.ThresholdPercent), ThresholdType: to.Ptr(kind),
			ContactEmails: []*string{}, ContactGroups: groups}
	}
	if len(b.Alerts) == 0 {
		out.Properties.Notifications[ownerNotification] = &armconsumption.Notification{Enabled: to.Ptr(false),
			Operator: to.Ptr(armconsumption.OperatorTypeGreaterThan), Threshold: to.Ptr(100.0),
			ContactEmails: []*string{}, ContactGroups: []*string{to.Ptr(actionGroup)}}
	}
	return out, nil
}

// budgetFilter counts the services' resources (their TagService tag), or the budget's one tag.
func budgetFilter(b *spec.Budget) (*armconsumption.BudgetFilter, error) {
	expr := func(name string, values []string) *armconsumption.BudgetFilter {
		return &armconsumption.BudgetFilter{Tags: &armconsumption.BudgetComparisonExpression{Name: to.Ptr(name),
			Operator: to.Ptr(armconsumption.BudgetOperatorTypeIn), Values: to.SliceOfPtrs(values...)}}
	}
	if len(b.Scope.ServiceIDs) > 0 {
		var names []string
		for _, s := range b.Scope.ServiceIDs {
			id, err := spec.ParseServiceID(s)
			if err != nil {
				return nil, err
			}
			if !slices.Contains(names, id.Name) {
				names = append(names, id.Name)
			}
		}
		return expr(TagService, names), nil
	}
	if len(b.Scope.Tags) == 1 {
		for k, v := range b.Scope.Tags {
			return expr(k, []string{v}), nil
		}
	}
	return nil, errors.New("an Azure budget filters on its services or on one tag")
}

// ActionGroupFor is the budget's action group: global, enabled, an email receiver per address of
// the alerts, tagged with the owner token, the budget's name and the applied spec.
func ActionGroupFor(b *spec.Budget, owner string) (*armmonitor.ActionGroupResource, error) {
	enc, err := spec.Encode(b)
	if err != nil {
		return nil, err
	}
	tags := SpecTags(enc)
	tags[TagBudget] = to.Ptr(b.Name)
	if owner != "" {
		tags[TagOwner] = to.Ptr(owner)
	}
	if len(tags) > maxTags {
		return nil, fmt.Errorf("the budget's configuration does not fit in the tags of its action group (%d of at most %d tags)", len(tags), maxTags)
	}
	g := &armmonitor.ActionGroupResource{Location: to.Ptr("Global"), Tags: tags,
		Properties: &armmonitor.ActionGroup{Enabled: to.Ptr(true), GroupShortName: to.Ptr(actionGroupShortName), EmailReceivers: []*armmonitor.EmailReceiver{}}}
	for i, e := range BudgetEmails(b) {
		g.Properties.EmailReceivers = append(g.Properties.EmailReceivers, &armmonitor.EmailReceiver{Name: to.Ptr(fmt.Sprintf("email-%d", i)),
			EmailAddress: to.Ptr(e), UseCommonAlertSchema: to.Ptr(true)})
	}
	return g, nil
}

// BudgetEmails are the addresses of the budget's alerts, in the order the alerts list them.
func BudgetEmails(b *spec.Budget) []string {
	var out []string
	for _, a := range b.Alerts {
		for _, e := range a.Emails {
			if !slices.Contains(out, e) {
				out = append(out, e)
			}
		}
	}
	return out
}

// groupEmails are an action group's email addresses, in receiver order.
func groupEmails(g *armmonitor.ActionGroupResource) []string {
	if g == nil || g.Properties == nil {
		return nil
	}
	rs := slices.Clone(g.Properties.EmailReceivers)
	sort.SliceStable(rs, func(i, j int) bool { return receiverIndex(rs[i]) < receiverIndex(rs[j]) })
	var out []string
	for _, r := range rs {
		if r.EmailAddress != nil {
			out = append(out, *r.EmailAddress)
		}
	}
	return out
}

func receiverIndex(r *armmonitor.EmailReceiver) int {
	if r.Name == nil {
		return 1 << 30
	}
	n, err := strconv.Atoi(strings.TrimPrefix(*r.Name, "email-"))
	if err != nil {
		return 1 << 30
	}
	return n
}
