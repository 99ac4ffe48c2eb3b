package pricing

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// versionSuffixRe matches what providers append to a model's name for one release of it: a date
// (claude-sonnet-4-20250514, gpt-4o-2024-08-06, o3-mini-2025-01-31), a year-month (mistral-large-2411),
// a version number (gemini-2.0-flash-001) or a moving pointer (claude-3-5-sonnet-latest).
var versionSuffixRe = regexp.MustCompile(`-(\d{8}|\d{4}-\d{2}-\d{2}|\d{4}|\d{3}|latest)$`)

// modelKey is the form names are compared in: lower case, the LiteLLM provider prefix
// ("anthropic/", "vertex_ai/") dropped, and dots written as hyphens (claude-3.5-sonnet is
// claude-3-5-sonnet).
func modelKey(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.ReplaceAll(name, ".", "-")
}

// Model finds a language model's token price by the name DSPy and LiteLLM use for it, with or
// without the provider prefix: the catalog's name, one of the row's documented aliases, or either
// with a release suffix (a date, a version number, -latest) added or taken away. An unknown model
// is an error naming the nearest models the catalog has.
func (c *Catalog) Model(model string) (TokenPrice, error) {
	key := modelKey(model)
	byKey := map[string]int{}
	for i, t := range c.Tokens {
		byKey[modelKey(t.Model)] = i
		for _, a := range t.Aliases {
			byKey[modelKey(a)] = i
		}
	}
	for _, k := range []string{key, versionSuffixRe.ReplaceAllString(key, ""), versionSuffixRe.ReplaceAllString(key, "") + "-latest"} {
		if i, ok := byKey[k]; ok {
			return c.Tokens[i], nil
		}
	}
	return TokenPrice{}, &UnknownModelError{Model: model, Date: c.Date, Nearest: c.nearestModels(key, 3)}
}

// UnknownModelError is a model the catalog has no token price for.
type UnknownModelError struct {
	Model, Date string
	Nearest     []string
}

func (e *UnknownModelError) Error() string {
	msg := fmt.Sprintf("the price catalog (%s) has no token price for model %q", e.Date, e.Model)
	if len(e.Nearest) > 0 {
		msg += "; the nearest it has: " + strings.Join(e.Nearest, ", ")
	}
	return msg + ". Name one of the catalog's models (or a dated or aliased name of one), or give your price in lm_price { input_per_million, output_per_million }"
}

// nearestModels lists up to n catalog models (provider/model) whose names are closest to key.
func (c *Catalog) nearestModels(key string, n int) []string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, t := range c.Tokens {
		d := spec.EditDistance(key, modelKey(t.Model))
		for _, a := range t.Aliases {
			d = min(d, spec.EditDistance(key, modelKey(a)))
		}
		cs = append(cs, cand{t.Provider + "/" + t.Model, d})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []string
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.name)
	}
	return out
}
