package gcpfake

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"google.golang.org/api/monitoring/v3"
)

// Cloud Monitoring alert policies (v3 projects.alertPolicies), served by the Billing fake beside the
// notification channels they notify. A policy is refused as the API refuses it: no display name, no
// conditions or more than six, several conditions without a combiner, a condition without a display
// name or with other than exactly one kind, a threshold without filter, comparison or duration, an
// aggregation whose alignment period is missing or outside 60 s – 104 weeks, user labels that are not
// lowercase, or a channel that does not exist. Names are assigned; output-only records are set.

var (
	alertPolicyPathRE = regexp.MustCompile(`^/v3/projects/([^/]+)/alertPolicies(?:/([^/]+))?$`)
	durationRE        = regexp.MustCompile(`^([0-9]+)(?:\.[0-9]{1,9})?s$`)
	userLabelKeyRE    = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
	userLabelValueRE  = regexp.MustCompile(`^[a-z0-9_-]{0,63}$`)
)

const maxAlertConditions = 6

func (b *Billing) alertPolicyCall(r *http.Request, project, id string, body []byte) (any, error) {
	if err := checkProject(project); err != nil {
		return nil, err
	}
	parent := "projects/" + project
	name := parent + "/alertPolicies/" + id
	switch {
	case id == "" && r.Method == http.MethodPost:
		if err := b.count("alertPolicies.create"); err != nil {
			return nil, err
		}
		v := &monitoring.AlertPolicy{}
		if err := decodeStrict(b.monitoringDoc, "AlertPolicy", body, v); err != nil {
			return nil, err
		}
		if err := b.checkAlertPolicy(parent, v); err != nil {
			return nil, err
		}
		v.Name = parent + "/alertPolicies/" + fmt.Sprint(b.rnd.Int63n(1<<53))
		b.stampPolicy(v, nil)
		b.policies[v.Name] = v
		return v, nil
	case id == "" && r.Method == http.MethodGet:
		if err := b.count("alertPolicies.list"); err != nil {
			return nil, err
		}
		if f := r.URL.Query().Get("filter"); f != "" {
			return nil, errorf(http.StatusNotImplemented, reasonNotImpl, "gcpfake: alertPolicies.list filter %q is not implemented", f)
		}
		var out []*monitoring.AlertPolicy
		for n, v := range b.policies {
			if strings.HasPrefix(n, parent+"/") {
				out = append(out, v)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return map[string]any{"alertPolicies": out, "totalSize": len(out)}, nil
	case r.Method == http.MethodGet:
		if err := b.count("alertPolicies.get"); err != nil {
			return nil, err
		}
		if v := b.policies[name]; v != nil {
			return v, nil
		}
	case r.Method == http.MethodDelete:
		if err := b.count("alertPolicies.delete"); err != nil {
			return nil, err
		}
		if b.policies[name] != nil {
			delete(b.policies, name)
			return map[string]any{}, nil
		}
	case r.Method == http.MethodPatch:
		if err := b.count("alertPolicies.patch"); err != nil {
			return nil, err
		}
		cur := b.policies[name]
		if cur == nil {
			break
		}
		v := &monitoring.AlertPolicy{}
		if err := decodeStrict(b.monitoringDoc, "AlertPolicy", body, v); err != nil {
			return nil, err
		}
		if mask := r.URL.Query().Get("updateMask"); mask != "" {
			return nil, errorf(http.StatusNotImplemented, reasonNotImpl, "gcpfake: alertPolicies.patch updateMask %q is not implemented; send the whole policy", mask)
		}
		// Without a mask the supplied policy replaces the existing one, keeping its name.
		if err := b.checkAlertPolicy(parent, v); err != nil {
			return nil, err
		}
		v.Name = name
		b.stampPolicy(v, cur)
		b.policies[name] = v
		return v, nil
	default:
		return nil, errorf(http.StatusMethodNotAllowed, reasonInvalid, "gcpfake: %s %s", r.Method, r.URL.Path)
	}
	return nil, notFound(name)
}

// stampPolicy sets the output-only fields: the creation record (kept from cur on a patch), the
// mutation record, and enabled's default.
func (b *Billing) stampPolicy(v, cur *monitoring.AlertPolicy) {
	now := &monitoring.MutationRecord{MutateTime: time.Now().UTC().Format(time.RFC3339Nano), MutatedBy: "gcpfake"}
	v.CreationRecord, v.MutationRecord = now, now
	if cur != nil {
		v.CreationRecord = cur.CreationRecord
	}
	for i, c := range v.Conditions {
		if c.Name == "" {
			c.Name = fmt.Sprintf("%s/conditions/%d", v.Name, b.rnd.Int63n(1<<53)+int64(i))
		}
	}
}

// checkAlertPolicy refuses what projects.alertPolicies.create refuses.
func (b *Billing) checkAlertPolicy(parent string, v *monitoring.AlertPolicy) error {
	if v.DisplayName == "" {
		return requiredField("alert_policy.display_name")
	}
	if n := len(v.Conditions); n == 0 || n > maxAlertConditions {
		return invalidField("alert_policy.conditions", n, fmt.Sprintf("A policy has between 1 and %d conditions.", maxAlertConditions))
	}
	if len(v.Conditions) > 1 && (v.Combiner == "" || v.Combiner == "COMBINE_UNSPECIFIED") {
		return requiredField("alert_policy.combiner")
	}
	for i, c := range v.Conditions {
		field := fmt.Sprintf("alert_policy.conditions[%d]", i)
		if err := checkCondition(field, c); err != nil {
			return err
		}
	}
	for k, val := range v.UserLabels {
		if !userLabelKeyRE.MatchString(k) {
			return invalidField("alert_policy.user_labels", k, "Label keys start with a lowercase letter and hold at most 63 lowercase letters, digits, underscores and dashes.")
		}
		if !userLabelValueRE.MatchString(val) {
			return invalidField("alert_policy.user_labels["+k+"]", val, "Label values hold at most 63 lowercase letters, digits, underscores and dashes.")
		}
	}
	for _, ch := range v.NotificationChannels {
		if !strings.HasPrefix(ch, parent+"/notificationChannels/") {
			return invalidField("alert_policy.notification_channels", ch, "Must be a channel of the policy's project ("+parent+"/notificationChannels/{id}).")
		}
		if b.channels[ch] == nil {
			return errorf(http.StatusNotFound, reasonNotFound, "Notification channel %s does not exist.", ch)
		}
	}
	return nil
}

func checkCondition(field string, c *monitoring.Condition) error {
	if c.DisplayName == "" {
		return requiredField(field + ".display_name")
	}
	kinds := 0
	for _, set := range []bool{c.ConditionThreshold != nil, c.ConditionAbsent != nil, c.ConditionMatchedLog != nil,
		c.ConditionMonitoringQueryLanguage != nil, c.ConditionPrometheusQueryLanguage != nil, c.ConditionSql != nil} {
		if set {
			kinds++
		}
	}
	if kinds != 1 {
		return invalidField(field, kinds, "A condition sets exactly one of its condition kinds.")
	}
	t := c.ConditionThreshold
	if t == nil {
		return nil
	}
	field += ".condition_threshold"
	switch {
	case !strings.Contains(t.Filter, "metric.type"):
		return invalidField(field+".filter", t.Filter, "The filter must name a metric type (metric.type = \"...\").")
	case t.Comparison == "" || t.Comparison == "COMPARISON_UNSPECIFIED":
		return requiredField(field + ".comparison")
	case !durationRE.MatchString(t.Duration):
		return invalidField(field+".duration", t.Duration, "A duration is a number of seconds with the suffix s, e.g. \"0s\".")
	}
	for i, a := range t.Aggregations {
		af := fmt.Sprintf("%s.aggregations[%d]", field, i)
		aligned := a.PerSeriesAligner != "" && a.PerSeriesAligner != "ALIGN_NONE"
		if !aligned && a.CrossSeriesReducer != "" && a.CrossSeriesReducer != "REDUCE_NONE" {
			return invalidField(af+".per_series_aligner", a.PerSeriesAligner, "A cross-series reducer needs a per-series aligner.")
		}
		if !aligned {
			continue
		}
		m := durationRE.FindStringSubmatch(a.AlignmentPeriod)
		if m == nil {
			return requiredField(af + ".alignment_period")
		}
		var secs int64
		_, _ = fmt.Sscan(m[1], &secs)
		if secs < 60 || secs > 104*7*24*3600 {
			return invalidField(af+".alignment_period", a.AlignmentPeriod, "The alignment period is between 60 seconds and 104 weeks.")
		}
	}
	return nil
}

// policiesUsing lists the alert policies that notify channel.
func (b *Billing) policiesUsing(channel string) []string {
	var out []string
	for n, p := range b.policies {
		for _, c := range p.NotificationChannels {
			if c == channel {
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}
