package spec

import (
	"net/mail"
	"regexp"
	"slices"
)

// Budget periods and alert kinds.
var (
	BudgetPeriods = []string{"monthly", "quarterly", "annually"}
	AlertKinds    = []string{"actual", "forecast"}
)

// Budget limits spend on one or more services and alerts before it runs out.
type Budget struct {
	Name        string
	Amount      float64
	Currency    string
	Period      string
	Cloud       Cloud // needed when the scope has tags only
	Scope       BudgetScope
	Alerts      []BudgetAlert
	TokenBudget *TokenBudget
}

// BudgetScope selects what the budget counts: services by id, or resources by tag.
type BudgetScope struct {
	ServiceIDs []string
	Tags       map[string]string
}

// BudgetAlert notifies when spend (actual or forecast) crosses a percentage of the amount.
type BudgetAlert struct {
	ThresholdPercent float64
	Kind             string
	Emails           []string
	Topic            string
}

// TokenBudget caps the language-model tokens the services may use in a month.
type TokenBudget struct {
	MonthlyTokens int64
	AlertPercent  int64
}

// Limits of budget alerts (AWS Budgets allows 1000 %; the others are wider).
const (
	MinThresholdPercent = 1
	MaxThresholdPercent = 1000
	MaxAlertSubscribers = 10
)

// ResolvedCloud returns the cloud the budget lives in: the given one, else the cloud of its services.
func (b *Budget) ResolvedCloud() Cloud {
	if slices.Contains(Clouds, b.Cloud) {
		return b.Cloud
	}
	for _, s := range b.Scope.ServiceIDs {
		if id, err := ParseServiceID(s); err == nil {
			return id.Cloud
		}
	}
	return ""
}

// Validate returns every problem with the budget.
func (b *Budget) Validate() Problems {
	var p problems
	switch {
	case len(b.Name) > MaxNameLength:
		p.add(Root("name"), "Budget Name Too Long", "name = %q is %d characters; budget names are limited to %d. %s Shorten the name.", b.Name, len(b.Name), MaxNameLength, nameLimitReason)
	case !ValidName(b.Name):
		p.add(Root("name"), "Invalid Budget Name", "name = %q must be 1 to %d lowercase letters, digits and hyphens, starting with a letter.", b.Name, MaxNameLength)
	}
	if b.Amount <= 0 {
		p.add(Root("amount"), "Invalid Budget Amount", "amount = %g must be above 0.", b.Amount)
	}
	if !slices.Contains(BudgetPeriods, b.Period) {
		p.add(Root("period"), "Invalid Budget Period", "period = %q must be one of %s.", b.Period, quoteList(BudgetPeriods))
	}
	if b.Cloud != "" && !slices.Contains(Clouds, b.Cloud) {
		p.add(Root("cloud"), "Invalid Cloud", "cloud = %q must be \"aws\", \"gcp\" or \"azure\".", b.Cloud)
	}
	scope := Root("scope")
	switch {
	case len(b.Scope.ServiceIDs) == 0 && len(b.Scope.Tags) == 0:
		p.add(scope, "Empty Budget Scope", "scope needs service_ids or tags: a budget must say whose spend it counts.")
	case len(b.Scope.ServiceIDs) > 0 && len(b.Scope.Tags) > 0:
		p.add(scope.At("tags"), "Conflicting Budget Scope", "Set scope.service_ids or scope.tags, not both.")
	case len(b.Scope.Tags) > 0 && b.Cloud == "":
		p.addRelated(Root("cloud"), []Path{scope.At("tags")}, "Missing Cloud", "A budget scoped by tags must set cloud = \"aws\", \"gcp\" or \"azure\": tags alone do not say which billing account to use.")
	}
	var cloud Cloud
	for i, s := range b.Scope.ServiceIDs {
		id, err := ParseServiceID(s)
		if err != nil {
			p.add(scope.At("service_ids").Index(i), "Invalid Service ID", "%s", err)
			continue
		}
		if cloud == "" {
			cloud = id.Cloud
		} else if id.Cloud != cloud {
			p.add(scope.At("service_ids").Index(i), "Services In Several Clouds",
				"scope.service_ids mixes %s and %s services; a budget lives in one cloud's billing. Declare one dspy_budget per cloud.", cloudTitle(cloud), cloudTitle(id.Cloud))
		}
		if b.Cloud != "" && id.Cloud != b.Cloud {
			p.addRelated(scope.At("service_ids").Index(i), []Path{Root("cloud")}, "Service In Another Cloud", "service %q runs on %s but cloud = %q.", s, cloudTitle(id.Cloud), b.Cloud)
		}
	}
	cloud = b.ResolvedCloud()
	var regions []string
	for _, s := range b.Scope.ServiceIDs {
		if id, err := ParseServiceID(s); err == nil && id.Cloud == AWS {
			regions = append(regions, id.Region())
		}
	}
	p.checkCurrency(cloud, b.Currency, regions)
	type alertKey struct {
		t float64
		k string
	}
	seen := map[alertKey]int{}
	for i, a := range b.Alerts {
		path := Root("alert").Index(i)
		if a.ThresholdPercent < MinThresholdPercent || a.ThresholdPercent > MaxThresholdPercent {
			p.add(path.At("threshold_percent"), "Invalid Alert Threshold",
				"alert[%d].threshold_percent = %g must be between %d and %d (percent of the budget amount).", i, a.ThresholdPercent, MinThresholdPercent, MaxThresholdPercent)
		}
		if !slices.Contains(AlertKinds, a.Kind) {
			p.add(path.At("kind"), "Invalid Alert Kind", "alert[%d].kind = %q must be one of %s.", i, a.Kind, quoteList(AlertKinds))
		}
		if prev, dup := seen[alertKey{a.ThresholdPercent, a.Kind}]; dup {
			p.addRelated(path, []Path{Root("alert").Index(prev)}, "Duplicate Alert", "alert[%d] repeats alert[%d] (%g %% %s); remove one.", i, prev, a.ThresholdPercent, a.Kind)
		}
		seen[alertKey{a.ThresholdPercent, a.Kind}] = i
		if len(a.Emails) == 0 && a.Topic == "" {
			p.add(path.At("emails"), "Alert Without Recipient", "alert[%d] needs emails or a topic to notify.", i)
		}
		if len(a.Emails) > MaxAlertSubscribers {
			p.add(path.At("emails"), "Too Many Recipients", "alert[%d] lists %d emails; at most %d are allowed per alert. Use a topic for larger audiences.", i, len(a.Emails), MaxAlertSubscribers)
		}
		for j, e := range a.Emails {
			if addr, err := mail.ParseAddress(e); err != nil || addr.Address != e {
				p.add(path.At("emails").Index(j), "Invalid Email", "alert[%d].emails[%d] = %q is not an email address.", i, j, e)
			}
		}
		if cloud != "" {
			p.checkTopic(cloud, path.At("topic"), a.Topic)
			if len(a.Emails) > 0 {
				p.requireCapability(cloud, FeatureBudgetEmails, path.At("emails"), "email alert recipients")
			}
		}
	}
	if cloud == GCP {
		p.checkGCPBudget(b)
	}
	if tb := b.TokenBudget; tb != nil {
		root := Root("token_budget")
		if tb.MonthlyTokens <= 0 {
			p.add(root.At("monthly_tokens"), "Invalid Token Budget", "token_budget.monthly_tokens = %d must be above 0.", tb.MonthlyTokens)
		}
		if tb.AlertPercent < MinThresholdPercent || tb.AlertPercent > MaxThresholdPercent {
			p.add(root.At("alert_percent"), "Invalid Alert Threshold", "token_budget.alert_percent = %d must be between %d and %d.", tb.AlertPercent, MinThresholdPercent, MaxThresholdPercent)
		}
		if len(b.Scope.ServiceIDs) == 0 {
			p.addRelated(root, []Path{scope.At("service_ids")}, "Token Budget Needs Services", "token_budget counts the tokens that services publish, so scope.service_ids must list them.")
		}
		if cloud != "" {
			p.requireCapability(cloud, FeatureTokenBudget, root, "token_budget")
		}
		hasTopic := false
		for _, a := range b.Alerts {
			hasTopic = hasTopic || a.Topic != ""
		}
		if cloud == AWS && !hasTopic {
			p.add(root, "Token Budget Needs A Topic",
				"On AWS the token budget is a CloudWatch alarm, which notifies through SNS: give an alert block a topic (an SNS topic ARN, which can deliver to email).")
		}
		if cloud == AWS {
			p.checkTokenRegions(b.Scope.ServiceIDs)
		}
	}
	return p.list
}

// checkTokenRegions refuses an AWS token budget over services in several regions: its alarm adds up
// the services' token metrics, and a CloudWatch alarm reads metrics of its own region only. One
// alarm per region, each against the whole monthly_tokens, would stay silent while the services
// together overspend.
func (p *problems) checkTokenRegions(ids []string) {
	first := ""
	for i, s := range ids {
		id, err := ParseServiceID(s)
		if err != nil || id.Cloud != AWS {
			continue
		}
		if first == "" {
			first = id.Region()
			continue
		}
		if id.Region() != first {
			p.addRelated(Root("scope").At("service_ids").Index(i), []Path{Root("token_budget")}, "Token Budget Across Regions",
				"scope.service_ids lists services in %s and %s, but on AWS token_budget is a CloudWatch alarm over the services' token metrics, and an alarm reads metrics of its own region only. "+
					"Declare one dspy_budget with a token_budget per region (a budget without token_budget may span regions).", first, id.Region())
			return
		}
	}
}

var (
	snsTopicRe    = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$`)
	pubsubTopicRe = regexp.MustCompile(`^projects/[a-z0-9-]+/topics/[\w.~+%-]{3,255}$`)
	actionGroupRe = regexp.MustCompile(`(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/microsoft\.insights/actionGroups/[^/]+$`)
)

func (p *problems) checkTopic(c Cloud, path Path, topic string) {
	if topic == "" {
		return
	}
	re, what := map[Cloud]*regexp.Regexp{AWS: snsTopicRe, GCP: pubsubTopicRe, Azure: actionGroupRe}[c],
		map[Cloud]string{AWS: "an SNS topic ARN (arn:aws:sns:us-east-1:123456789012:budget-alerts)", GCP: "a Pub/Sub topic (projects/my-project/topics/budget-alerts)", Azure: "an action group id (/subscriptions/…/resourceGroups/…/providers/microsoft.insights/actionGroups/…)"}[c]
	if re != nil && !re.MatchString(topic) {
		p.add(path, "Invalid Alert Topic", "%s = %q is not %s, which %s budgets notify.", path, topic, what, cloudTitle(c))
	}
}
