package gcpfake

import (
	"encoding/json"
	"net/http"
	"strings"

	"cloud.google.com/go/billing/budgets/apiv1/budgetspb"
	"google.golang.org/api/billingbudgets/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// The Budget API speaks protobuf JSON. Google's generated REST clients send enums as numbers and ask
// for numbers back ($alt=json;enum-encoding=int); the discovery-based clients use names. A request
// body is decoded with protojson into the API's own messages (unknown fields refused, either enum
// form accepted), turned into enum names and checked against the discovery document; a response
// takes the encoding the request asked for.

// wantsIntEnums reports whether the request asked for enums as numbers.
func wantsIntEnums(r *http.Request) bool {
	return strings.Contains(r.URL.Query().Get("$alt"), "enum-encoding=int")
}

// decodeBudget decodes a budget body strictly into the discovery type the fake stores.
func (b *Billing) decodeBudget(body []byte) (*billingbudgets.GoogleCloudBillingBudgetsV1Budget, error) {
	var pb budgetspb.Budget
	if err := (protojson.UnmarshalOptions{}).Unmarshal(body, &pb); err != nil {
		return nil, invalidf("Invalid JSON payload received. %v", err)
	}
	named, err := protojson.Marshal(&pb)
	if err != nil {
		return nil, invalidf("Invalid JSON payload received. %v", err)
	}
	v := &billingbudgets.GoogleCloudBillingBudgetsV1Budget{}
	if err := decodeStrict(b.budgetsDoc, "GoogleCloudBillingBudgetsV1Budget", named, v); err != nil {
		return nil, err
	}
	// protojson writes an undefined enum number as a number, which the discovery check skips.
	for i, t := range pb.GetThresholdRules() {
		if _, ok := budgetspb.ThresholdRule_Basis_name[int32(t.GetSpendBasis())]; !ok {
			return nil, invalidField("budget.threshold_rules["+itoa(i)+"].spend_basis", int32(t.GetSpendBasis()), "Unknown enum value.")
		}
	}
	if f := pb.GetBudgetFilter(); f != nil {
		if _, ok := budgetspb.CalendarPeriod_name[int32(f.GetCalendarPeriod())]; !ok {
			return nil, invalidField("budget.budget_filter.calendar_period", int32(f.GetCalendarPeriod()), "Unknown enum value.")
		}
		if _, ok := budgetspb.Filter_CreditTypesTreatment_name[int32(f.GetCreditTypesTreatment())]; !ok {
			return nil, invalidField("budget.budget_filter.credit_types_treatment", int32(f.GetCreditTypesTreatment()), "Unknown enum value.")
		}
	}
	return v, nil
}

// budgetResponse is a stored budget (or list of them) in the encoding r asked for.
func budgetResponse(r *http.Request, v any) (any, error) {
	buf, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m proto.Message = &budgetspb.Budget{}
	if _, isList := v.(map[string]any); isList {
		m = &budgetspb.ListBudgetsResponse{}
	}
	if err := (protojson.UnmarshalOptions{}).Unmarshal(buf, m); err != nil {
		return nil, err
	}
	out, err := (protojson.MarshalOptions{UseEnumNumbers: wantsIntEnums(r)}).Marshal(m)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(out), nil
}

// budgetFields are the top-level fields of a budget an update may name, by their names in an
// update mask (proto names) and in JSON.
var budgetFields = map[string]string{
	"display_name": "displayName", "budget_filter": "budgetFilter", "amount": "amount",
	"threshold_rules": "thresholdRules", "notifications_rule": "notificationsRule", "ownership_scope": "ownershipScope",
}

// mergeBudget is the budget an update leaves: with a mask, cur with the masked fields taken from v
// (a masked field v leaves unset is cleared); without one, cur with every field v sets, as the API
// documents ("only fields with non-default values from the request are updated").
func mergeBudget(cur, v *billingbudgets.GoogleCloudBillingBudgetsV1Budget, mask string) (*billingbudgets.GoogleCloudBillingBudgetsV1Budget, error) {
	curJSON, _ := json.Marshal(cur)
	newJSON, _ := json.Marshal(v)
	var have, sent map[string]json.RawMessage
	_ = json.Unmarshal(curJSON, &have)
	_ = json.Unmarshal(newJSON, &sent)
	var fields []string
	if mask != "" {
		for _, f := range strings.Split(mask, ",") {
			j, ok := budgetFields[f]
			if !ok {
				if camel, known := camelBudgetField(f); known {
					j, ok = camel, true
				}
			}
			if !ok {
				return nil, invalidField("update_mask", f, "Only top-level, updatable budget fields may be named.")
			}
			fields = append(fields, j)
		}
	} else {
		for _, j := range budgetFields {
			if _, set := sent[j]; set {
				fields = append(fields, j)
			}
		}
	}
	for _, j := range fields {
		if s, set := sent[j]; set {
			have[j] = s
		} else {
			delete(have, j)
		}
	}
	buf, _ := json.Marshal(have)
	out := &billingbudgets.GoogleCloudBillingBudgetsV1Budget{}
	if err := json.Unmarshal(buf, out); err != nil {
		return nil, err
	}
	return out, nil
}

// camelBudgetField accepts a mask entry in its JSON spelling (displayName), as the API does.
func camelBudgetField(f string) (string, bool) {
	for _, j := range budgetFields {
		if j == f {
			return j, true
		}
	}
	return "", false
}
