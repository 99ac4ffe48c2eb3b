package azure

import (
	"fmt"
	"slices"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Azure's limits of a budget that the spec does not know.
const (
	// MaxBudgetNotifications is how many notifications a Consumption budget holds.
	MaxBudgetNotifications = 5
	// MaxBudgetThreshold is the largest notification threshold (percent) Azure takes; it must be
	// above 0.
	MaxBudgetThreshold = 1000
)

// BudgetProblems reports, at plan time and without a call, what the spec allows but an Azure
// budget cannot express, each against the attribute to change.
func BudgetProblems(b *spec.Budget) spec.Problems {
	var ps spec.Problems
	add := func(path spec.Path, summary, format string, args ...any) {
		ps = append(ps, spec.Problem{Path: path, Summary: summary, Detail: fmt.Sprintf(format, args...)})
	}
	if _, ok := timeGrains[b.Period]; !ok && slices.Contains(spec.BudgetPeriods, b.Period) {
		add(spec.Root("period"), "Period Not On Azure", "period = %q has no Azure budget time grain; use \"monthly\", \"quarterly\" or \"annually\".", b.Period)
	}
	if len(b.Scope.ServiceIDs) == 0 && len(b.Scope.Tags) > 0 {
		add(spec.Root("scope").At("tags"), "Budget Scope Needs A Service On Azure",
			"On Azure the budget keeps its action group (which carries its recipients and proves it is this resource's) in its first service's resource group, "+
				"and a budget scoped by tags alone has none: list scope.service_ids instead.")
	}
	if len(b.Scope.Tags) > 1 {
		add(spec.Root("scope").At("tags"), "Too Many Budget Tags", "An Azure budget filters on one tag; scope.tags lists %d.", len(b.Scope.Tags))
	}
	if len(b.Alerts) > MaxBudgetNotifications {
		add(spec.Root("alert").Index(MaxBudgetNotifications), "Too Many Alerts",
			"An Azure budget holds at most %d notifications, and %d alert blocks are declared: remove %d, or split the budget in two.", MaxBudgetNotifications, len(b.Alerts), len(b.Alerts)-MaxBudgetNotifications)
	}
	emails := BudgetEmails(b)
	var first []string // the emails of the first alert that lists any
	for i, a := range b.Alerts {
		path := spec.Root("alert").Index(i)
		if a.ThresholdPercent <= 0 || a.ThresholdPercent > MaxBudgetThreshold {
			add(path.At("threshold_percent"), "Threshold Outside Azure's Range",
				"alert[%d].threshold_percent = %g: an Azure budget notification fires above 0 and at most %d percent of the amount.", i, a.ThresholdPercent, MaxBudgetThreshold)
		}
		if len(a.Emails) > 0 && first == nil {
			first = a.Emails
		} else if len(a.Emails) > 0 && !sameSet(a.Emails, first) {
			add(path.At("emails"), "Alerts With Different Emails",
				"On Azure every alert of a budget notifies its one action group, whose receivers are all the alerts' emails (%v): list the same emails in every alert block that lists any.", emails)
		}
	}
	if tb := b.TokenBudget; tb != nil {
		root := spec.Root("token_budget")
		if len(b.Scope.ServiceIDs) > 1 {
			add(root, "Token Budget Over Several Services",
				"On Azure token_budget is a metric alert on one scale set's token metric, and Azure evaluates each scale set on its own: declare one dspy_budget with a token_budget per service.")
		}
		hasTopic := slices.ContainsFunc(b.Alerts, func(a spec.BudgetAlert) bool { return a.Topic != "" })
		if len(emails) == 0 && !hasTopic {
			add(root, "Token Budget Without Recipients",
				"On Azure the token budget's metric alert notifies the budget's action group: give an alert block emails (or a topic, an action group id).")
		}
	}
	return ps
}

// sameSet reports whether a and b hold the same strings.
func sameSet(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			return false
		}
	}
	return true
}
