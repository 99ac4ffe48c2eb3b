package pricing

import (
	"errors"
	"reflect"
	"testing"
)

// TestModelNames resolves models as DSPy users write them, against a small hand-made catalog:
// with and without the provider prefix, dated and undated, dots or hyphens, documented aliases and
// -latest pointers; a model is never taken for a longer or shorter one of its family.
func TestModelNames(t *testing.T) {
	cat := &Catalog{Date: "2026-12-07", Tokens: []TokenPrice{
		{Provider: "anthropic", Model: "claude-sonnet-4", Input: 3, Output: 15, CachedInput: 0.3},
		{Provider: "anthropic", Model: "claude-3-5-sonnet", Input: 3, Output: 15, Aliases: []string{"claude-3-5-sonnet-20241022"}},
		{Provider: "openai", Model: "gpt-4o", Input: 2.5, Output: 10},
		{Provider: "openai", Model: "gpt-4o-mini", Input: 0.15, Output: 0.6},
		{Provider: "openai", Model: "o3-mini", Input: 1.1, Output: 4.4},
		{Provider: "google", Model: "gemini-2.0-flash", Input: 0.1, Output: 0.4},
		{Provider: "mistral", Model: "mistral-large-latest", Input: 2, Output: 6},
	}}
	for name, want := range map[string]string{
		"anthropic/claude-sonnet-4-20250514": "claude-sonnet-4",
		"claude-sonnet-4":                    "claude-sonnet-4",
		"Anthropic/Claude-Sonnet-4":          "claude-sonnet-4",
		"anthropic/claude-3.5-sonnet":        "claude-3-5-sonnet",
		"claude-3-5-sonnet-latest":           "claude-3-5-sonnet",
		"claude-3-5-sonnet-20241022":         "claude-3-5-sonnet",
		"openai/gpt-4o-2024-08-06":           "gpt-4o",
		"gpt-4o-mini":                        "gpt-4o-mini",
		"gpt-4o-mini-2024-07-18":             "gpt-4o-mini",
		"o3-mini-2025-01-31":                 "o3-mini",
		"gemini/gemini-2.0-flash-001":        "gemini-2.0-flash",
		"vertex_ai/gemini-2.0-flash":         "gemini-2.0-flash",
		"mistral/mistral-large-2411":         "mistral-large-latest",
		"mistral-large-latest":               "mistral-large-latest",
	} {
		got, err := cat.Model(name)
		if err != nil || got.Model != want {
			t.Errorf("Model(%q) = %q, %v; want %q", name, got.Model, err, want)
		}
	}
	for _, name := range []string{"gpt-4", "gpt-4o-nano", "claude-sonnet", "o3", "gemini-2.0-flash-lite", ""} {
		_, err := cat.Model(name)
		var unknown *UnknownModelError
		if !errors.As(err, &unknown) {
			t.Errorf("Model(%q) = %v; want an UnknownModelError", name, err)
		}
	}
	_, err := cat.Model("anthropic/claude-sonet-4")
	var unknown *UnknownModelError
	if !errors.As(err, &unknown) || !reflect.DeepEqual(unknown.Nearest[:1], []string{"anthropic/claude-sonnet-4"}) {
		t.Errorf("a misspelt model must name the nearest first: %v", err)
	}
}

// TestCatalogModels: every row of the built-in catalog resolves by its own name and its aliases to
// itself, and no alias names two rows.
func TestCatalogModels(t *testing.T) {
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	owner := map[string]string{}
	for _, row := range cat.Tokens {
		for _, name := range append([]string{row.Model, row.Provider + "/" + row.Model}, row.Aliases...) {
			got, err := cat.Model(name)
			if err != nil || got.Model != row.Model {
				t.Errorf("Model(%q) = %q, %v; want the row %q", name, got.Model, err, row.Model)
			}
		}
		for _, a := range append([]string{row.Model}, row.Aliases...) {
			if o, dup := owner[modelKey(a)]; dup && o != row.Model {
				t.Errorf("%q names both %q and %q", a, o, row.Model)
			}
			owner[modelKey(a)] = row.Model
		}
		if row.CachedInput > row.Input {
			t.Errorf("%s: cached input %g costs more than input %g", row.Model, row.CachedInput, row.Input)
		}
		if len(row.Aliases) > 0 && row.AliasSource == "" {
			t.Errorf("%s: aliases without alias_source", row.Model)
		}
	}
}
