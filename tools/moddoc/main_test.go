package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const variablesTF = `# Inputs.

variable "name" {
  type        = string
  description = "Service name: a \"quoted\" word, a | pipe and $${literal}."

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]*[a-z0-9])?$", var.name)) # } not a brace
    error_message = "name must be lowercase, for example \"qa-bot\" (${length(var.name)} given)."
  }
}

variable "capacity" {
  type = object({
    min     = number // fewest
    max     = number
    initial = optional(number)
  })
  default     = { min = 2, max = 10 }
  description = <<-EOT
    Group size bounds.
    initial is used at create only.
  EOT
}

variable "zones" {
  type = list(string)
  default = [
    "us-east-1a",
    "us-east-1b",
  ]
  description = "Zones (aws/<region>/<zone>, not ` + "`<html>`" + `)."
}

variable "token" { sensitive = true }

/* A block comment with variable "ghost" { } inside. */
variable "template" {
  type        = string
  default     = "${var.prefix}-svc"
  description = "Joined: ${var.prefix}."
}
`

const outputsTF = `output "id" {
  value       = dspy_service.this.id
  description = "Service id."
}

output "secret" {
  value       = var.token
  sensitive   = true
  description = "The token."
}
`

func TestParseFile(t *testing.T) {
	t.Parallel()
	blocks, err := parseFile("variables.tf", []byte(variablesTF))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range blocks {
		names = append(names, b.Type+"."+strings.Join(b.Labels, "."))
	}
	if got, want := strings.Join(names, " "), "variable.name variable.capacity variable.zones variable.token variable.template"; got != want {
		t.Fatalf("blocks = %s, want %s", got, want)
	}
	if n := len(blocks[0].Blocks); n != 1 || blocks[0].Blocks[0].Type != "validation" {
		t.Errorf("name's nested blocks = %+v, want one validation block", blocks[0].Blocks)
	}
	if got := blocks[0].Blocks[0].Attrs["condition"]; got != `can(regex("^[a-z]([-a-z0-9]*[a-z0-9])?$", var.name))` {
		t.Errorf("a trailing comment must end the expression, got %q", got)
	}
	if got := blocks[3].Attrs["sensitive"]; got != "true" {
		t.Errorf("one-line block attribute = %q, want true", got)
	}
}

func TestDeclarations(t *testing.T) {
	t.Parallel()
	blocks, err := parseFile("variables.tf", []byte(variablesTF))
	if err != nil {
		t.Fatal(err)
	}
	vars, _, err := declarations("variables.tf", blocks)
	if err != nil {
		t.Fatal(err)
	}
	want := []Variable{
		{Name: "name", Description: `Service name: a "quoted" word, a | pipe and ${literal}.`, Type: "string"},
		{Name: "capacity", Description: "Group size bounds.\ninitial is used at create only.", Type: "object({ min = number, max = number, initial = optional(number) })",
			Default: "{ min = 2, max = 10 }", HasDefault: true},
		{Name: "zones", Description: "Zones (aws/<region>/<zone>, not `<html>`).", Type: "list(string)", Default: `["us-east-1a", "us-east-1b"]`, HasDefault: true},
		{Name: "token", Sensitive: true},
		{Name: "template", Description: "Joined: ${var.prefix}.", Type: "string", Default: `"${var.prefix}-svc"`, HasDefault: true},
	}
	if len(vars) != len(want) {
		t.Fatalf("got %d variables, want %d: %+v", len(vars), len(want), vars)
	}
	for i := range want {
		if vars[i] != want[i] {
			t.Errorf("variable %d:\n got %+v\nwant %+v", i, vars[i], want[i])
		}
	}
}

func TestOneLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"string", "string"},
		{"{}", "{}"},
		{"{\n  a = 1\n  b = \"x y\"\n}", `{ a = 1, b = "x y" }`},
		{"[\n  1,\n  2,\n]", "[1, 2]"},
		{"map(object({\n  a = string # why\n  b = optional(list(string), [])\n}))", "map(object({ a = string, b = optional(list(string), []) }))"},
		{"[{ a = 1 },\n  { a = 2 }]", "[{ a = 1 }, { a = 2 }]"},
		{"<<EOT\nline one\nline \"two\"\nEOT", `"line one\nline \"two\""`},
		{`"keep   inner   spaces"`, `"keep   inner   spaces"`},
	} {
		if got := oneLine(tc.in); got != tc.want {
			t.Errorf("oneLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseFileErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ src, want string }{
		{"variable \"a\" {\n  type = string\n", "x.tf:3: the variable block that starts on line 1 is not closed"},
		{"variable \"a\" {\n  default = \"open\n}\n", "x.tf:2: a string is not closed on its line"},
		{"variable \"a\" {\n  default = [1, 2\n}\n", "not closed"},
		{"variable \"a\" {\n  description = <<EOT\nno end\n}\n", "x.tf:2: the heredoc <<EOT is not closed"},
		{"variable \"a\" {\n  type = string\n  type = number\n}\n", "x.tf:3: type is set twice in the variable block"},
	} {
		_, err := parseFile("x.tf", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseFile(%q) error = %v, want one containing %q", tc.src, err, tc.want)
		}
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	got := render([]Variable{
		{Name: "name", Description: "The name | or `a|b`.", Type: "string"},
		{Name: "ids", Description: "Ids of aws/<region>,\nwrapped.\n\nA paragraph:\n- one\n- two", Type: "list(string)", Default: "[]", HasDefault: true, Sensitive: true},
	}, []Output{{Name: "id", Description: "The id."}})
	for _, want := range []string{
		"| Name | Description | Type | Default | Required |",
		"| `name` | The name \\| or `a\\|b`. | `string` | n/a | yes |",
		"| `ids` | Ids of aws/&lt;region&gt;, wrapped.<br><br>A paragraph:<br>- one<br>- two (sensitive) | `list(string)` | `[]` | no |",
		"## Outputs\n\n| Name | Description |\n|------|-------------|\n| `id` | The id. |\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("render() lacks %q in:\n%s", want, got)
		}
	}
	if empty := render(nil, nil); !strings.Contains(empty, "No inputs.") || !strings.Contains(empty, "No outputs.") {
		t.Errorf("render(nil, nil) = %q, want No inputs. and No outputs.", empty)
	}
}

func TestCell(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"a <b> `<c>` d", "a &lt;b&gt; `<c>` d"},
		{"odd ` <x>", "odd ` &lt;x&gt;"},
		{"1. one\n2. two", "1. one<br>2. two"},
	} {
		if got := cell(tc.in); got != tc.want {
			t.Errorf("cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCode(t *testing.T) {
	t.Parallel()
	if got := code("a`b"); got != "`` a`b ``" {
		t.Errorf("code(a`b) = %s", got)
	}
}

func TestReplaceBetweenMarkers(t *testing.T) {
	t.Parallel()
	got, err := replaceBetweenMarkers([]byte("# m\n\nintro\n\n"+beginMarker+"\nold table\n"+endMarker+"\n\nafter\n"), "new\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := "# m\n\nintro\n\n" + beginMarker + "\nnew\n" + endMarker + "\n\nafter\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, bad := range []string{"no markers", endMarker + "\n" + beginMarker, beginMarker + beginMarker + endMarker} {
		if _, err := replaceBetweenMarkers([]byte(bad), "x"); err == nil {
			t.Errorf("replaceBetweenMarkers(%q) must fail", bad)
		}
	}
}

// writeModule lays out root/modules/<name> with the two files and a README around the markers.
func writeModule(t *testing.T, root, name, readmeTables string) string {
	t.Helper()
	dir := filepath.Join(root, "modules", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for file, text := range map[string]string{
		"variables.tf": variablesTF,
		"outputs.tf":   outputsTF,
		"README.md":    "# " + name + "\n\n" + beginMarker + "\n" + readmeTables + endMarker + "\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRun_writesThenChecks(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := writeModule(t, root, "svc", "stale\n")
	if err := os.WriteFile(filepath.Join(root, "modules", "modules_test.go"), []byte("package modules_test\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	if code := run([]string{"-root", root, "-check"}, &stdout, &stderr); code != 1 {
		t.Fatalf("-check on a stale README: exit %d, want 1; stderr %s", code, stderr.String())
	}
	readme := filepath.Join(dir, "README.md")
	if !strings.Contains(stderr.String(), readme+" is stale") {
		t.Errorf("-check must name the stale README %s, got %q", readme, stderr.String())
	}
	if b, _ := os.ReadFile(readme); !strings.Contains(string(b), "stale\n") {
		t.Error("-check must not write")
	}

	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"-root", root}, &stdout, &stderr); code != 0 {
		t.Fatalf("write: exit %d; stderr %s", code, stderr.String())
	}
	b, _ := os.ReadFile(readme)
	for _, want := range []string{"# svc\n\n" + beginMarker + "\n", "| `capacity` | Group size bounds. initial is used at create only. |", "| `secret` | The token. (sensitive) |", endMarker + "\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("README lacks %q:\n%s", want, b)
		}
	}

	stderr.Reset()
	if code := run([]string{"-root", root, "-check"}, &stdout, &stderr); code != 0 {
		t.Errorf("-check right after writing: exit %d, want 0; stderr %s", code, stderr.String())
	}
}

func TestRun_namedModuleAndErrors(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	fresh := writeModule(t, root, "fresh", "")
	stale := writeModule(t, root, "stale", "old\n")
	var stdout, stderr bytes.Buffer
	if code := run([]string{fresh}, &stdout, &stderr); code != 0 {
		t.Fatalf("write one module: exit %d; %s", code, stderr.String())
	}
	if code := run([]string{"-check", fresh}, &stdout, &stderr); code != 0 {
		t.Errorf("-check of the module just written: exit %d; %s", code, stderr.String())
	}
	if b, _ := os.ReadFile(filepath.Join(stale, "README.md")); !strings.Contains(string(b), "old\n") {
		t.Error("a module that was not named must not be written")
	}

	noMarkers := filepath.Join(root, "modules", "bare")
	if err := os.MkdirAll(noMarkers, 0o755); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(noMarkers, "variables.tf"), []byte(variablesTF), 0o644)
	_ = os.WriteFile(filepath.Join(noMarkers, "README.md"), []byte("# bare\n"), 0o644)
	stderr.Reset()
	if code := run([]string{"-check", noMarkers}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "no "+beginMarker) {
		t.Errorf("README without markers: exit %d, stderr %q; want 1 naming the markers", code, stderr.String())
	}

	if code := run([]string{"-no-such-flag"}, &stdout, &stderr); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
}

func TestStringValue(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`"caf\u00e9 \t tab"`, "café \t tab"},
		{`"a" == "b"`, `"a" == "b"`},
		{`"${join(", ", ["a", "b"])} done"`, `${join(", ", ["a", "b"])} done`},
		{`"%%{literal} and $${literal}"`, "%{literal} and ${literal}"},
		{"<<EOT\n  kept indent\nEOT", "  kept indent"},
		{"var.description", "var.description"},
	} {
		if got := stringValue(tc.in); got != tc.want {
			t.Errorf("stringValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
