// Command moddoc writes each companion module's inputs and outputs tables into its README.md,
// between <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS -->, from the module's variables.tf and
// outputs.tf, so the README cannot drift from the module's interface.
//
//	go run ./tools/moddoc                       # rewrite every modules/*/README.md
//	go run ./tools/moddoc -check                # write nothing; fail naming each stale README
//	go run ./tools/moddoc modules/dspy-service  # only the modules named
//
// It reads the two files (scan.go) with a small scanner for the part of HCL they use (blocks, attributes,
// strings with templates, heredocs, comments), not with github.com/hashicorp/hcl/v2: that module
// is only an indirect requirement in go.mod, and importing it here would make `go mod tidy`
// rewrite go.mod. Attribute values are kept as source text: a type or default is shown as written,
// on one line.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

const (
	beginMarker = "<!-- BEGIN_TF_DOCS -->"
	endMarker   = "<!-- END_TF_DOCS -->"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the exit, for tests: 0 when every README is current (or was rewritten),
// 1 when one is stale under -check or a module cannot be read, 2 on bad usage.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("moddoc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	check := fs.Bool("check", false, "write nothing; exit 1 naming each README.md whose tables are stale")
	root := fs.String("root", ".", "repository root (the directory holding modules/)")
	fs.Usage = func() {
		printf(stderr, "usage: moddoc [-check] [-root DIR] [MODULE_DIR ...]\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dirs := fs.Args()
	if len(dirs) == 0 {
		var err error
		if dirs, err = moduleDirs(filepath.Join(*root, "modules")); err != nil {
			printf(stderr, "moddoc: %v\n", err)
			return 1
		}
	}
	failed := false
	for _, dir := range dirs {
		readme := filepath.Join(dir, "README.md")
		changed, err := update(dir, !*check)
		switch {
		case err != nil:
			printf(stderr, "moddoc: %s: %v\n", dir, err)
			failed = true
		case changed && *check:
			printf(stderr, "moddoc: %s is stale: its inputs/outputs tables do not match %s; run `go run ./tools/moddoc` and commit the result.\n",
				readme, filepath.Join(dir, "{variables,outputs}.tf"))
			failed = true
		case changed:
			printf(stdout, "moddoc: wrote %s\n", readme)
		}
	}
	if failed {
		return 1
	}
	return 0
}

// printf writes one message; a failed write to stdout or stderr has nowhere to be reported.
func printf(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}

// moduleDirs lists the directories under dir that hold at least one .tf file.
func moduleDirs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		tf, _ := filepath.Glob(filepath.Join(dir, e.Name(), "*.tf"))
		if len(tf) > 0 {
			dirs = append(dirs, filepath.Join(dir, e.Name()))
		}
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("no modules (directories with .tf files) under %s", dir)
	}
	sort.Strings(dirs)
	return dirs, nil
}

// update renders dir's tables into its README.md, writing the file only when write is set. It
// reports whether the README differs from what it should be.
func update(dir string, write bool) (bool, error) {
	vars, outs, err := readModule(dir)
	if err != nil {
		return false, err
	}
	path := filepath.Join(dir, "README.md")
	old, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	updated, err := replaceBetweenMarkers(old, render(vars, outs))
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	if bytes.Equal(old, updated) {
		return false, nil
	}
	if write {
		if err := os.WriteFile(path, updated, 0o644); err != nil {
			return true, err
		}
	}
	return true, nil
}

// Variable is one `variable` block as the table shows it.
type Variable struct {
	Name        string
	Description string
	Type        string // source text on one line; "" when the block has no type
	Default     string // source text on one line, when HasDefault
	HasDefault  bool
	Sensitive   bool
}

// Output is one `output` block as the table shows it.
type Output struct {
	Name        string
	Description string
	Sensitive   bool
}

// readModule reads dir/variables.tf and dir/outputs.tf; a module may lack either.
func readModule(dir string) ([]Variable, []Output, error) {
	var vars []Variable
	var outs []Output
	for _, name := range []string{"variables.tf", "outputs.tf"} {
		path := filepath.Join(dir, name)
		src, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		blocks, err := parseFile(path, src)
		if err != nil {
			return nil, nil, err
		}
		v, o, err := declarations(path, blocks)
		if err != nil {
			return nil, nil, err
		}
		vars, outs = append(vars, v...), append(outs, o...)
	}
	return vars, outs, nil
}

// declarations picks the variable and output blocks out of a file's top-level blocks.
func declarations(path string, blocks []Block) ([]Variable, []Output, error) {
	var vars []Variable
	var outs []Output
	for _, b := range blocks {
		if (b.Type == "variable" || b.Type == "output") && len(b.Labels) != 1 {
			return nil, nil, fmt.Errorf("%s:%d: a %s block takes exactly one label, its name", path, b.Line, b.Type)
		}
		switch b.Type {
		case "variable":
			v := Variable{Name: b.Labels[0], Description: stringValue(b.Attrs["description"]), Sensitive: strings.TrimSpace(b.Attrs["sensitive"]) == "true"}
			if t, ok := b.Attrs["type"]; ok {
				v.Type = oneLine(t)
			}
			if d, ok := b.Attrs["default"]; ok {
				v.Default, v.HasDefault = oneLine(d), true
			}
			vars = append(vars, v)
		case "output":
			outs = append(outs, Output{Name: b.Labels[0], Description: stringValue(b.Attrs["description"]), Sensitive: strings.TrimSpace(b.Attrs["sensitive"]) == "true"})
		}
	}
	return vars, outs, nil
}

// render writes the Inputs and Outputs sections that go between the markers.
func render(vars []Variable, outs []Output) string {
	var b strings.Builder
	b.WriteString("<!-- Generated by `go run ./tools/moddoc` from variables.tf and outputs.tf: edit those, not the tables. -->\n")
	b.WriteString("## Inputs\n\n")
	if len(vars) == 0 {
		b.WriteString("No inputs.\n")
	} else {
		b.WriteString("| Name | Description | Type | Default | Required |\n|------|-------------|------|---------|:--------:|\n")
		for _, v := range vars {
			typ, def, required := code("any"), "n/a", "yes"
			if v.Type != "" {
				typ = code(v.Type)
			}
			if v.HasDefault {
				def, required = code(v.Default), "no"
			}
			desc := cell(v.Description)
			if v.Sensitive {
				desc = strings.TrimSpace(desc + " (sensitive)")
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", code(v.Name), desc, typ, def, required)
		}
	}
	b.WriteString("\n## Outputs\n\n")
	if len(outs) == 0 {
		b.WriteString("No outputs.\n")
	} else {
		b.WriteString("| Name | Description |\n|------|-------------|\n")
		for _, o := range outs {
			desc := cell(o.Description)
			if o.Sensitive {
				desc = strings.TrimSpace(desc + " (sensitive)")
			}
			fmt.Fprintf(&b, "| %s | %s |\n", code(o.Name), desc)
		}
	}
	return b.String()
}

// cell makes markdown text safe for one table cell: pipes escaped, angle brackets outside code
// spans as entities (so that aws/<region> is not read as HTML), and lines joined as markdown
// would: wrapped lines with a space, a blank line as a paragraph break, list items on their own.
func cell(s string) string {
	var b strings.Builder
	blank := false
	for i, line := range strings.Split(strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			blank = true
			continue
		case i == 0:
		case blank:
			b.WriteString("\x00\x00")
		case listItemRe.MatchString(line):
			b.WriteString("\x00")
		default:
			b.WriteString(" ")
		}
		blank = false
		b.WriteString(line)
	}
	s = b.String()
	parts := strings.Split(s, "`")
	escape := strings.NewReplacer("<", "&lt;", ">", "&gt;")
	for i := range parts {
		// Even parts are outside code spans, and so is what follows an unmatched backtick.
		if i%2 == 0 || (i == len(parts)-1 && len(parts)%2 == 0) {
			parts[i] = escape.Replace(parts[i])
		}
	}
	s = strings.ReplaceAll(strings.Join(parts, "`"), "|", `\|`)
	return strings.ReplaceAll(s, "\x00", "<br>") // the line breaks, after escaping
}

// listItemRe matches a line that starts a markdown list item.
var listItemRe = regexp.MustCompile(`^([-*+]|[0-9]+[.)])\s`)

// code wraps s in a code span long enough for the backticks it holds, inside a table cell.
func code(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 {
		s = " " + s + " "
	}
	return fence + strings.ReplaceAll(s, "|", `\|`) + fence
}

// replaceBetweenMarkers puts body between the README's markers, replacing what was there.
func replaceBetweenMarkers(readme []byte, body string) ([]byte, error) {
	text := string(readme)
	begin, end := strings.Index(text, beginMarker), strings.Index(text, endMarker)
	switch {
	case begin < 0 || end < 0:
		return nil, fmt.Errorf("no %s … %s markers: add both on lines of their own where the inputs and outputs tables belong", beginMarker, endMarker)
	case strings.Count(text, beginMarker) > 1 || strings.Count(text, endMarker) > 1:
		return nil, fmt.Errorf("%s and %s must each appear once", beginMarker, endMarker)
	case end < begin:
		return nil, fmt.Errorf("%s comes before %s", endMarker, beginMarker)
	}
	return []byte(text[:begin+len(beginMarker)] + "\n" + body + text[end:]), nil
}
