package spec

// MaxGCPBudgetChannels is how many Cloud Monitoring notification channels a Cloud Billing budget
// notifies (one per email address).
const MaxGCPBudgetChannels = 5

// checkGCPBudget records what a Cloud Billing budget cannot hold: its filter takes one label with
// one value (so one service, or one tag), it notifies one Pub/Sub topic, and at most five
// notification channels.
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
	topic, emails := "", map[string]bool{}
	for i, a := range b.Alerts {
		if a.Topic != "" && topic != "" && a.Topic != topic {
			p.add(Root("alert").Index(i).At("topic"), "One Topic Per Budget On Google Cloud",
				"A Cloud Billing budget notifies one Pub/Sub topic, and alert[%d].topic = %q is another than %q: use one topic for every alert.", i, a.Topic, topic)
		}
		if a.Topic != "" {
			topic = a.Topic
		}
		for _, e := range a.Emails {
			emails[e] = true
		}
	}
	if len(emails) > MaxGCPBudgetChannels {
		p.add(Root("alert"), "Too Many Recipients On Google Cloud",
			"The alerts list %d different email addresses; a Cloud Billing budget notifies at most %d Cloud Monitoring channels. Use a Pub/Sub topic for a larger audience.", len(emails), MaxGCPBudgetChannels)
	}
}
