package gcpfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
)

// apiModule is the module that ships the Compute Engine discovery document.
const apiModule = "google.golang.org/api"

// discoveryRelPath is the document's path inside apiModule.
const discoveryRelPath = "compute/v1/compute-api.json"

// DiscoveryEnv names an environment variable that, when set, is the path of compute-api.json.
const DiscoveryEnv = "GCPFAKE_DISCOVERY_FILE"

// schema is the part of a discovery-document JSON schema the fake checks.
type schema struct {
	Type                 string             `json:"type"`
	Ref                  string             `json:"$ref"`
	Enum                 []string           `json:"enum"`
	Pattern              string             `json:"pattern"`
	Items                *schema            `json:"items"`
	Properties           map[string]*schema `json:"properties"`
	AdditionalProperties *schema            `json:"additionalProperties"`
}

// discovery holds the schemas of compute-api.json and compiled patterns.
type discovery struct {
	path     string
	schemas  map[string]*schema
	patterns sync.Map // pattern string -> *regexp.Regexp (nil when RE2 cannot compile it)
}

var (
	discoveryMu    sync.Mutex
	discoveryCache = map[string]*discovery{}
)

// loadDiscovery reads and parses the discovery document at path (or the located one when path is
// empty), once per process and path.
func loadDiscovery(path string) (*discovery, error) {
	if path == "" {
		p, err := locateDiscovery()
		if err != nil {
			return nil, err
		}
		path = p
	}
	return loadDoc(path, "InstanceGroupManager")
}

// loadSiblingDiscovery reads another API's discovery document of the same google.golang.org/api
// module (rel is relative to the module, e.g. "billingbudgets/v1/billingbudgets-api.json"); its
// schema must include mustHave.
func loadSiblingDiscovery(rel, mustHave string) (*discovery, error) {
	compute, err := locateDiscovery()
	if err != nil {
		return nil, err
	}
	return loadDoc(filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(compute))), rel), mustHave)
}

func loadDoc(path, mustHave string) (*discovery, error) {
	discoveryMu.Lock()
	defer discoveryMu.Unlock()
	if d, ok := discoveryCache[path]; ok {
		return d, nil
	}
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("gcpfake: reading discovery document: %w", err)
	}
	var doc struct {
		Schemas map[string]*schema `json:"schemas"`
	}
	if err := json.Unmarshal(buf, &doc); err != nil {
		return nil, fmt.Errorf("gcpfake: parsing discovery document %s: %w", path, err)
	}
	if len(doc.Schemas) == 0 || doc.Schemas[mustHave] == nil {
		return nil, fmt.Errorf("gcpfake: %s has no schema %s", path, mustHave)
	}
	d := &discovery{path: path, schemas: doc.Schemas}
	discoveryCache[path] = d
	return d, nil
}

// locateDiscovery finds compute-api.json: $GCPFAKE_DISCOVERY_FILE, then the module cache entry of
// the google.golang.org/api version linked into this binary, then `go list -m` run in the current
// directory (which must be inside a module that requires google.golang.org/api).
func locateDiscovery() (string, error) {
	if p := os.Getenv(DiscoveryEnv); p != "" {
		return p, nil
	}
	var tried []string
	if dir := moduleCacheDir(); dir != "" {
		p := filepath.Join(dir, discoveryRelPath)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		tried = append(tried, p)
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", apiModule).Output()
	if err == nil && strings.TrimSpace(string(out)) != "" {
		p := filepath.Join(strings.TrimSpace(string(out)), discoveryRelPath)
		if _, statErr := os.Stat(p); statErr == nil {
			return p, nil
		}
		tried = append(tried, p)
	}
	return "", fmt.Errorf("gcpfake: cannot locate %s of %s (tried %v, go list: %w); set %s",
		discoveryRelPath, apiModule, tried, err, DiscoveryEnv)
}

// moduleCacheDir is the module cache directory of the linked google.golang.org/api version, or "".
func moduleCacheDir() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	version := ""
	for _, dep := range info.Deps {
		if dep.Path == apiModule {
			version = dep.Version
			if dep.Replace != nil {
				return dep.Replace.Path
			}
		}
	}
	if version == "" {
		return ""
	}
	cache := os.Getenv("GOMODCACHE")
	if cache == "" {
		out, err := exec.Command("go", "env", "GOMODCACHE").Output()
		if err != nil {
			return ""
		}
		cache = strings.TrimSpace(string(out))
	}
	if cache == "" {
		return ""
	}
	return filepath.Join(cache, apiModule+"@"+version)
}

// validate walks value (decoded canonical JSON of a request body) against the named schema and
// reports the first string that is not one of its property's enum values or does not match its
// property's pattern. field is the API's name for the root ("resource").
func (d *discovery) validate(schemaName string, value any, field string) error {
	s, ok := d.schemas[schemaName]
	if !ok {
		return fmt.Errorf("gcpfake: discovery document has no schema %q", schemaName)
	}
	return d.walk(s, value, field)
}

func (d *discovery) walk(s *schema, value any, field string) error {
	for s.Ref != "" {
		next, ok := d.schemas[s.Ref]
		if !ok {
			return fmt.Errorf("gcpfake: discovery document has no schema %q", s.Ref)
		}
		s = next
	}
	switch v := value.(type) {
	case map[string]any:
		return d.walkObject(s, v, field)
	case []any:
		if s.Items == nil {
			return nil
		}
		for i, item := range v {
			if err := d.walk(s.Items, item, fmt.Sprintf("%s[%d]", field, i)); err != nil {
				return err
			}
		}
	case string:
		return d.checkString(s, v, field)
	}
	return nil
}

func (d *discovery) walkObject(s *schema, v map[string]any, field string) error {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		var sub *schema
		if p, ok := s.Properties[k]; ok {
			sub = p
		} else if s.AdditionalProperties != nil {
			sub = s.AdditionalProperties
		} else {
			continue // protojson already refused names the message does not have
		}
		if err := d.walk(sub, v[k], field+"."+k); err != nil {
			return err
		}
	}
	return nil
}

func (d *discovery) checkString(s *schema, v, field string) error {
	if len(s.Enum) > 0 {
		// The enums carry sentinel values (INVALID, INVALID_LB_POLICY) that the API refuses.
		if !slices.Contains(s.Enum, v) || strings.HasPrefix(v, "INVALID") {
			allowed := slices.DeleteFunc(slices.Clone(s.Enum), func(e string) bool {
				return strings.HasPrefix(e, "INVALID")
			})
			return invalidField(field, v, "Value must be one of "+strings.Join(allowed, ", ")+".")
		}
	}
	if s.Pattern != "" {
		re := d.pattern(s.Pattern)
		if re != nil && !re.MatchString(v) {
			return invalidField(field, v, "Must be a match of regex '"+s.Pattern+"'")
		}
	}
	return nil
}

func (d *discovery) pattern(p string) *regexp.Regexp {
	if re, ok := d.patterns.Load(p); ok {
		rx, _ := re.(*regexp.Regexp)
		return rx
	}
	re, err := regexp.Compile(`^(?:` + p + `)$`)
	if err != nil {
		re = nil
	}
	d.patterns.Store(p, re)
	return re
}

// errNoDiscovery wraps the reason a Fake could not be built.
var errNoDiscovery = errors.New("gcpfake: discovery document unavailable")

// hasField reports whether a dotted field path (as list filters name it) exists in a schema; a
// map's keys (labels.k) are any name.
func (d *discovery) hasField(schemaName, field string) bool {
	s, ok := d.schemas[schemaName]
	if !ok {
		return false
	}
	for _, part := range strings.Split(field, ".") {
		for s.Ref != "" {
			if s, ok = d.schemas[s.Ref]; !ok {
				return false
			}
		}
		switch {
		case s.Properties[part] != nil:
			s = s.Properties[part]
		case s.AdditionalProperties != nil:
			s = s.AdditionalProperties
		default:
			return false
		}
	}
	return true
}
