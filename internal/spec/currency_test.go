package spec

import (
	"slices"
	"testing"
)

func TestBudgetValidate_currency(t *testing.T) {
	t.Parallel()
	gcpScope := BudgetScope{ServiceIDs: []string{"gcp/acme-prod/us-central1/qa-bot"}}
	cases := []struct {
		name     string
		mut      func(*Budget)
		want     string // "" when valid
		wantPath string
	}{
		{"usd on aws", func(b *Budget) {}, "", ""},
		{"typo on aws", func(b *Budget) { b.Currency = "USDD" }, `currency = "USDD" must be an ISO 4217 code; did you mean "USD"? AWS Budgets accepts "USD" (and "CNY" in the AWS China regions).`, "currency"},
		{"word", func(b *Budget) { b.Currency = "EURO" }, `currency = "EURO" must be an ISO 4217 code; did you mean "EUR"?`, "currency"},
		{"lower case", func(b *Budget) { b.Currency = "usd" }, `currency = "usd" must be an ISO 4217 code; did you mean "USD"?`, "currency"},
		{"not a code", func(b *Budget) { b.Currency = "XYZ" }, `currency = "XYZ" must be an ISO 4217 code. AWS Budgets accepts "USD"`, "currency"},
		{"euro on aws", func(b *Budget) { b.Currency = "EUR" }, `currency = "EUR" is not accepted by AWS Budgets, which measures cost in "USD"`, "currency"},
		{"yuan outside china", func(b *Budget) { b.Currency = "CNY" }, `currency = "CNY" is only accepted by AWS Budgets in the AWS China regions, but a service of this budget runs in us-east-1`, "currency"},
		{"yuan in china", func(b *Budget) { b.Currency = "CNY"; b.Scope.ServiceIDs = []string{"aws/cn-north-1/qa-bot"} }, "", ""},
		{"euro on gcp", func(b *Budget) { b.Currency = "EUR"; b.Scope = gcpScope; b.TokenBudget = nil; b.Alerts[1].Topic = "" }, "", ""},
		{"typo on gcp", func(b *Budget) { b.Currency = "EURO"; b.Scope = gcpScope; b.TokenBudget = nil; b.Alerts[1].Topic = "" },
			`currency = "EURO" must be an ISO 4217 code; did you mean "EUR"? Use the billing account's currency, such as "USD", "EUR"`, "currency"},
		{"unknown cloud", func(b *Budget) {
			b.Currency = "EURO"
			b.Scope = BudgetScope{Tags: map[string]string{"a": "b"}}
			b.TokenBudget = nil
		},
			`did you mean "EUR"? Use the billing account's currency`, "currency"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := validBudget()
			tc.mut(&b)
			ps := b.Validate()
			if tc.want == "" {
				for _, p := range ps {
					if p.Path.String() == "currency" {
						t.Fatalf("unexpected currency problem: %v", p)
					}
				}
				return
			}
			assertProblem(t, ps, tc.wantPath, tc.want)
		})
	}
}

func TestCurrencies(t *testing.T) {
	t.Parallel()
	if !slices.IsSorted(Currencies) {
		t.Error("keep Currencies sorted")
	}
	for _, c := range append([]string{"USD", "EUR", "GBP", "JPY", "INR", "CHF"}, AWSBudgetCurrencies...) {
		if !slices.Contains(Currencies, c) {
			t.Errorf("%s missing", c)
		}
	}
	for _, c := range []string{"XAU", "XXX", "XTS", "HRK", "USN"} {
		if slices.Contains(Currencies, c) {
			t.Errorf("%s is not a currency a billing account is kept in", c)
		}
	}
}
