package spec

import (
	"fmt"
	"slices"
	"strings"
)

// Currencies are the ISO 4217 codes of currencies in circulation (funds, metals and test codes
// left out): the codes a billing account can be kept in. Cross-checked against the tender
// currencies of golang.org/x/text/currency (CLDR), updated for ISO 4217 amendments since (MRU, SLE,
// VES, VED, ZWG, XCG in; HRK, MRO, VEF, CUC, ZWL out).
var Currencies = []string{
	"AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL",
	"BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP",
	"ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
	"IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
	"LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR",
	"NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD",
	"SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX",
	"USD", "UYU", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
}

// AWSBudgetCurrencies are the units AWS Budgets takes for a cost budget: it measures cost in US
// dollars whatever currency the invoice is in, and in yuan in the AWS China regions. Anything else
// is refused by CreateBudget ("… is not in the supported unit set: [USD]").
var AWSBudgetCurrencies = []string{"USD", "CNY"}

// commonCurrencies are named in messages as examples; the full list is too long to print.
const commonCurrencies = `"USD", "EUR", "GBP", "JPY", "INR", "AUD", "CAD", "CHF", "BRL" or "CNY"`

// checkCurrency checks the budget's currency, and on AWS that AWS Budgets accepts it. regions are the
// regions of the budget's services, where known.
func (p *problems) checkCurrency(cloud Cloud, currency string, regions []string) {
	path := Root("currency")
	if !slices.Contains(Currencies, currency) {
		hint := "."
		if near, ok := Closest(strings.ToUpper(currency), Currencies, 1); ok {
			hint = fmt.Sprintf("; did you mean %q?", near)
		}
		accepted := fmt.Sprintf(" Use the billing account's currency, such as %s.", commonCurrencies)
		if cloud == AWS {
			accepted = ` AWS Budgets accepts "USD" (and "CNY" in the AWS China regions).`
		}
		p.add(path, "Invalid Currency", "currency = %q must be an ISO 4217 code%s%s", currency, hint, accepted)
		return
	}
	if cloud != AWS {
		return
	}
	if !slices.Contains(AWSBudgetCurrencies, currency) {
		p.add(path, "Currency Not Accepted By AWS Budgets",
			`currency = %q is not accepted by AWS Budgets, which measures cost in "USD" whatever currency the invoice is in ("CNY" in the AWS China regions). Set currency = "USD" and give amount in US dollars.`, currency)
		return
	}
	if currency == "CNY" {
		for _, r := range regions {
			if !strings.HasPrefix(r, "cn-") {
				p.addRelated(path, []Path{Root("scope").At("service_ids")}, "Currency Not Accepted By AWS Budgets",
					`currency = "CNY" is only accepted by AWS Budgets in the AWS China regions, but a service of this budget runs in %s. Set currency = "USD".`, r)
				return
			}
		}
	}
}
