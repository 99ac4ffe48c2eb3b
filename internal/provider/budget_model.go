package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

type budgetModel struct {
	ID          types.String   `tfsdk:"id"`
	Name        types.String   `tfsdk:"name"`
	Amount      types.Float64  `tfsdk:"amount"`
	Currency    types.String   `tfsdk:"currency"`
	Period      types.String   `tfsdk:"period"`
	Cloud       types.String   `tfsdk:"cloud"`
	Native      types.Map      `tfsdk:"native"`
	Scope       types.Object   `tfsdk:"scope"`
	Alert       types.List     `tfsdk:"alert"`
	TokenBudget types.Object   `tfsdk:"token_budget"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

type budgetScopeModel struct {
	ServiceIDs types.List `tfsdk:"service_ids"`
	Tags       types.Map  `tfsdk:"tags"`
}

type budgetAlertModel struct {
	ThresholdPercent types.Float64 `tfsdk:"threshold_percent"`
	Kind             types.String  `tfsdk:"kind"`
	Emails           types.List    `tfsdk:"emails"`
	Topic            types.String  `tfsdk:"topic"`
}

type tokenBudgetModel struct {
	MonthlyTokens types.Int64 `tfsdk:"monthly_tokens"`
	AlertPercent  types.Int64 `tfsdk:"alert_percent"`
}

const (
	defaultCurrency          = "USD"
	defaultBudgetPeriod      = "monthly"
	defaultAlertKind         = "actual"
	defaultTokenAlertPercent = 80
)

func (m *budgetModel) toSpec(c *converter) *spec.Budget {
	b := &spec.Budget{
		Name:     c.str(m.Name, spec.Root("name"), ""),
		Amount:   c.f64(m.Amount, spec.Root("amount"), 0),
		Currency: c.str(m.Currency, spec.Root("currency"), defaultCurrency),
		Period:   c.str(m.Period, spec.Root("period"), defaultBudgetPeriod),
		Cloud:    spec.Cloud(c.str(m.Cloud, spec.Root("cloud"), "")),
	}
	var sm budgetScopeModel
	if p := spec.Root("scope"); c.requiredObject(m.Scope, p, &sm) {
		b.Scope = spec.BudgetScope{ServiceIDs: c.strings(sm.ServiceIDs, p.At("service_ids")), Tags: c.stringMap(sm.Tags, p.At("tags"))}
	}
	var alerts []budgetAlertModel
	if c.list(m.Alert, spec.Root("alert"), &alerts) {
		for i, a := range alerts {
			p := spec.Root("alert").Index(i)
			b.Alerts = append(b.Alerts, spec.BudgetAlert{
				ThresholdPercent: c.f64(a.ThresholdPercent, p.At("threshold_percent"), 0),
				Kind:             c.str(a.Kind, p.At("kind"), defaultAlertKind),
				Emails:           c.strings(a.Emails, p.At("emails")),
				Topic:            c.str(a.Topic, p.At("topic"), ""),
			})
		}
	}
	var tm tokenBudgetModel
	if p := spec.Root("token_budget"); c.object(m.TokenBudget, p, &tm) {
		b.TokenBudget = &spec.TokenBudget{
			MonthlyTokens: c.i64(tm.MonthlyTokens, p.At("monthly_tokens"), 0),
			AlertPercent:  c.i64(tm.AlertPercent, p.At("alert_percent"), defaultTokenAlertPercent),
		}
	}
	return b
}
