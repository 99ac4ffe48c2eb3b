package cost

import (
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// TestPromptCachePerVendor prices one model of each LM vendor with prompt-cache hits, from the
// built-in catalog, by a dated or an undated name. The traffic: 2,400 requests a day over 730 h
// is 73,000 calls; 1,000 input tokens each (73 M), 40 % of them cache hits (29.2 M), and 100
// output tokens each (7.3 M).
func TestPromptCachePerVendor(t *testing.T) {
	const in, hit, out = 73.0, 29.2, 7.3
	for _, c := range []struct {
		model, row            string
		input, cached, output float64 // per million, from catalog.json
		cachedPricedAsInput   bool
	}{
		{"openai/gpt-4.1-mini-2025-04-14", "gpt-4.1-mini", 0.4, 0.1, 1.6, false},
		{"anthropic/claude-haiku-4-5", "claude-haiku-4-5", 1, 0.1, 5, false},
		{"gemini/gemini-2.5-flash", "gemini-2.5-flash", 0.3, 0.03, 2.5, false},
		{"deepseek/deepseek-chat", "deepseek-chat", 0.56, 0.07, 1.68, false},
		// Mistral publishes no cached-input price: the hits are input tokens, and the estimate says so.
		{"mistral/mistral-large-2411", "mistral-large-latest", 2, 2, 6, true},
	} {
		t.Run(c.row, func(t *testing.T) {
			svc := &spec.Service{Capacity: spec.Capacity{Min: 1, Max: 1}, Instance: spec.Instance{Type: "m7i.large"}, LM: spec.LM{Model: c.model}}
			r, err := Estimate(catalog(t), "aws", "us-east-1", svc, Usage{RequestsPerDay: 2400, InputTokensPerRequest: 1000, OutputTokensPerRequest: 100,
				PromptCacheHitRate: 0.4, HoursPerMonth: 730})
			if err != nil {
				t.Fatal(err)
			}
			near(t, "lm tokens", r.LMTokens, (in-hit)*c.input+hit*c.cached+out*c.output)
			items := map[string]Line{}
			for _, l := range r.Breakdown {
				items[l.Item] = l
			}
			if c.cachedPricedAsInput {
				near(t, "input line", items[c.row+" input tokens"].Quantity, in)
				if len(r.Unpriced) == 0 || !strings.Contains(strings.Join(r.Unpriced, "\n"), "prompt-cache hits of "+c.row+" are priced as input tokens") {
					t.Errorf("the estimate must say the hits are priced as input: %v", r.Unpriced)
				}
				return
			}
			near(t, "cached line", items[c.row+" cached input tokens"].Monthly, hit*c.cached)
			near(t, "input line", items[c.row+" input tokens"].Monthly, (in-hit)*c.input)
			if l := items[c.row+" cached input tokens"]; !strings.HasPrefix(l.Source, "https://") || l.PriceDate == "" {
				t.Errorf("the cached line must name its source and date: %+v", l)
			}
		})
	}
}
