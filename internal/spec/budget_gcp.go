package spec

import (
	"slices"
	"strconv"
	"strings"
)

// MaxGCPBudgetChannels is how many Cloud Monitoring notification channels a Cloud Billing budget
// notifies (one per email address).
const MaxGCPBudgetChannels = 5

// checkGCPBudget records what a Cloud Billing budget cannot hold: its filter takes one label with
// one value (so one service, or one tag), and every threshold notifies the same recipients (one
// Pub/Sub topic, at most five notification channels), so every alert names the same ones. A token
// budget, a Cloud Monitoring alert policy, notifies the alerts' email channels.
func (p *problems) checkGCPBudget(b *Budget) {
	scope := Root("scope")
	if len(b.Scope.ServiceIDs) > 1 {
		p.add(scope.At("service_ids").Index(1), "One Service Per Budget On Google Cloud",
			"A Cloud Billing budget filters on a single label value (%s = <service>), so on Google Cloud a budget counts one service: declare one dspy_budget per service.", ServiceTagKey(GCP))
	}
	if len(b.Scope.Tags) > 1 {
		p.add(scope.At("tags"), "One Tag Per Budget On Google Cloud", "A Cloud Billing budget filters on a single label: give scope.tags one entry.")
	}
	p.checkGCPLabels(scope.At("tags"), b.Scope.Tags)
	p.checkGCPRecipients(b)
	emails := map[string]bool{}
	for _, a := range b.Alerts {
		for _, e := range a.Emails {
			emails[e] = true
		}
	}
	if len(emails) > MaxGCPBudgetChannels {
		p.add(Root("alert"), "Too Many Recipients On Google Cloud",
			"The alerts list %d different email addresses; a Cloud Billing budget notifies at most %d Cloud Monitoring channels. Use a Pub/Sub topic for a larger audience.", len(emails), MaxGCPBudgetChannels)
	}
	if b.TokenBudget != nil && len(emails) == 0 {
		p.addRelated(Root("token_budget"), []Path{Root("alert")}, "Token Budget Needs An Email On Google Cloud",
			"On Google Cloud the token budget is a Cloud Monitoring alert policy, which notifies the budget's email channels: give the alerts emails.")
	}
}

// checkGCPRecipients refuses alerts that name different recipients: a Cloud Billing budget sends
// every threshold to all of its channels and its topic, so an alert with fewer would still notify
// them (and read back with them, a perpetual diff).
func (p *problems) checkGCPRecipients(b *Budget) {
	for i := 1; i < len(b.Alerts); i++ {
		first, a := b.Alerts[0], b.Alerts[i]
		if !slices.Equal(a.Emails, first.Emails) {
			p.add(Root("alert").Index(i).At("emails"), "Same Recipients For Every Alert On Google Cloud",
				"A Cloud Billing budget notifies every recipient at every threshold, so on Google Cloud each alert lists the same emails in the same order: alert[%d].emails = [%s], alert[0].emails = [%s].", i, quoted(a.Emails), quoted(first.Emails))
		}
		if a.Topic != first.Topic {
			p.add(Root("alert").Index(i).At("topic"), "Same Recipients For Every Alert On Google Cloud",
				"A Cloud Billing budget notifies its Pub/Sub topic at every threshold, so on Google Cloud each alert names the same topic: alert[%d].topic = %q, alert[0].topic = %q.", i, a.Topic, first.Topic)
		}
	}
}

// quoted writes a list of strings as HCL does.
func quoted(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return strings.Join(out, ", ")
}
