package azure

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/consumption/armconsumption"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// BudgetOf reads a Consumption budget back as a dspy_budget, without its token budget. group is
// the budget's action group id and emails its addresses (in receiver order): each notification that
// names the group notifies them. applied is the configuration the action group keeps (nil when it
// is gone): what Azure does not hold (the currency, the services' resource groups) comes from it.
// serviceID names a service the filter counts by its name alone.
func BudgetOf(bd *armconsumption.Budget, group string, emails []string, applied *spec.Budget, serviceID func(name string) string) *spec.Budget {
	out := &spec.Budget{Currency: "USD"}
	if bd.Name != nil {
		out.Name = *bd.Name
	}
	if applied != nil {
		out.Currency, out.Cloud = applied.Currency, applied.Cloud
	}
	p := bd.Properties
	if p == nil {
		return out
	}
	if p.Amount != nil {
		out.Amount = *p.Amount
	}
	for period, grain := range timeGrains {
		if p.TimeGrain != nil && *p.TimeGrain == grain {
			out.Period = period
		}
	}
	if p.Filter != nil && p.Filter.Tags != nil && p.Filter.Tags.Name != nil {
		var values []string
		for _, v := range p.Filter.Tags.Values {
			if v != nil {
				values = append(values, *v)
			}
		}
		if *p.Filter.Tags.Name == TagService {
			for _, v := range values {
				out.Scope.ServiceIDs = append(out.Scope.ServiceIDs, serviceID(v))
			}
		} else if len(values) == 1 {
			out.Cloud, out.Scope.Tags = spec.Azure, map[string]string{*p.Filter.Tags.Name: values[0]}
		}
	}
	keys := make([]string, 0, len(p.Notifications))
	for k := range p.Notifications {
		if k != ownerNotification {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		return alertIndex(keys[i]) < alertIndex(keys[j]) || (alertIndex(keys[i]) == alertIndex(keys[j]) && keys[i] < keys[j])
	})
	for _, k := range keys {
		n := p.Notifications[k]
		a := spec.BudgetAlert{Kind: "actual"}
		if n.Threshold != nil {
			a.ThresholdPercent = *n.Threshold
		}
		if n.ThresholdType != nil && *n.ThresholdType == armconsumption.ThresholdTypeForecasted {
			a.Kind = "forecast"
		}
		for _, g := range n.ContactGroups {
			switch {
			case g == nil:
			case strings.EqualFold(*g, group):
				a.Emails = append(a.Emails, emails...)
			case a.Topic == "":
				a.Topic = *g
			}
		}
		for _, e := range n.ContactEmails { // added outside Terraform: shown as drift
			if e != nil && !slices.Contains(a.Emails, *e) {
				a.Emails = append(a.Emails, *e)
			}
		}
		out.Alerts = append(out.Alerts, a)
	}
	return out
}

// alertIndex is the alert index notificationKey keeps (a large number for a key it did not write).
func alertIndex(key string) int {
	rest, ok := strings.CutPrefix(key, "alert")
	if !ok {
		return 1 << 30
	}
	digits, _, _ := strings.Cut(rest, "_")
	n, err := strconv.Atoi(digits)
	if err != nil {
		return 1 << 30
	}
	return n
}
