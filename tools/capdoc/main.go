// Command capdoc writes the cloud capability guide from the capability table in internal/spec, so
// the documentation cannot drift from what plan-time validation enforces. `make generate` runs it.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: capdoc OUTPUT")
		os.Exit(2)
	}
	if err := os.WriteFile(os.Args[1], []byte(render()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func render() string {
	table := spec.Table()
	features := map[spec.Feature]bool{}
	for _, rows := range table {
		for f := range rows {
			features[f] = true
		}
	}
	names := make([]string, 0, len(features))
	for f := range features {
		names = append(names, string(f))
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(`---
page_title: "Cloud capabilities"
subcategory: ""
description: |-
  Which dspy settings each cloud supports natively, emulates, or lacks.
---

# Cloud capabilities

One specification runs on three clouds, but the clouds differ. Every setting below is checked at
plan time against the service's cloud: a setting a cloud lacks is an error on that attribute naming
the nearest alternative — never silently dropped. Settings not listed are supported everywhere.

This page is generated from the provider's capability table (` + "`internal/spec/capability.go`" + `).

| setting | AWS | Google Cloud | Azure |
|---|---|---|---|
`)
	for _, n := range names {
		f := spec.Feature(n)
		b.WriteString("| `" + n + "` ")
		for _, c := range spec.Clouds {
			row := spec.Lookup(c, f)
			cell := row.Support.String()
			if row.Note != "" {
				cell += ": " + strings.ReplaceAll(row.Note, "|", "\\|")
			}
			b.WriteString("| " + cell + " ")
		}
		b.WriteString("|\n")
	}
	return b.String()
}
