package provider_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// TestProviderSchema_devOverrides builds the provider binary, serves it to the real Terraform CLI
// through dev_overrides (as `make demo` does) and checks the registry address, the resources and
// data sources it lists, and that every attribute and block carries a description for the docs.
func TestProviderSchema_devOverrides(t *testing.T) {
	tf, rc := acctest.DevOverrides(t)
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	main := "terraform {\n  required_providers {\n    dspy = { source = \"dspyops/dspy\" }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tf, "providers", "schema", "-json")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("terraform providers schema: %v", err)
	}
	var doc struct {
		ProviderSchemas map[string]struct {
			Provider          schemaJSON            `json:"provider"`
			ResourceSchemas   map[string]schemaJSON `json:"resource_schemas"`
			DataSourceSchemas map[string]schemaJSON `json:"data_source_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	p, ok := doc.ProviderSchemas[acctest.ProviderAddress]
	if !ok {
		t.Fatalf("no provider %s in %v", acctest.ProviderAddress, sortedKeys(doc.ProviderSchemas))
	}
	if got := strings.Join(sortedKeys(p.ResourceSchemas), ","); got != "dspy_backup_schedule,dspy_budget,dspy_scaling_policy,dspy_service" {
		t.Errorf("resources = %s", got)
	}
	if got := strings.Join(sortedKeys(p.DataSourceSchemas), ","); got != "dspy_deployment_manifest,dspy_service_cost,dspy_service_health" {
		t.Errorf("data sources = %s", got)
	}
	missing := p.Provider.Block.undocumented("provider")
	for name, s := range p.ResourceSchemas {
		missing = append(missing, s.Block.undocumented(name)...)
	}
	for name, s := range p.DataSourceSchemas {
		missing = append(missing, s.Block.undocumented("data."+name)...)
	}
	if len(missing) > 0 {
		t.Errorf("attributes without a description: %s", strings.Join(missing, ", "))
	}
}

type schemaJSON struct {
	Block blockJSON `json:"block"`
}

type blockJSON struct {
	Description string `json:"description"`
	Attributes  map[string]struct {
		Description string `json:"description"`
		NestedType  *struct {
			Attributes map[string]struct {
				Description string `json:"description"`
			} `json:"attributes"`
		} `json:"nested_type"`
	} `json:"attributes"`
	BlockTypes map[string]struct {
		Block blockJSON `json:"block"`
	} `json:"block_types"`
}

func (b blockJSON) undocumented(at string) []string {
	var out []string
	if b.Description == "" {
		out = append(out, at)
	}
	for name, a := range b.Attributes {
		if a.Description == "" {
			out = append(out, at+"."+name)
		}
		if a.NestedType != nil {
			for n, na := range a.NestedType.Attributes {
				if na.Description == "" {
					out = append(out, at+"."+name+"."+n)
				}
			}
		}
	}
	for name, bt := range b.BlockTypes {
		out = append(out, bt.Block.undocumented(at+"."+name)...)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
