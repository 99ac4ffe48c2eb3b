package azurefake

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"unicode"
)

// The allowed values of each SDK enum type are read from the SDK's own generated constants.go (its
// Possible…Values functions list them), in the module cache entry of the version linked into this
// binary: the fake then refuses exactly what the SDK's model does not define.

var (
	possibleFuncRE = regexp.MustCompile(`(?s)func Possible(\w+)Values\(\) \[\](\w+) \{\s*return \[\]\w+\{(.*?)\}\s*\}`)
	constRE        = regexp.MustCompile(`(?m)^\s*(\w+)\s+(\w+)\s*=\s*"([^"]*)"`)

	enumsMu    sync.Mutex
	enumsCache = map[string]map[string][]string{}
)

// enumValues returns, for the SDK module (e.g. …/compute/armcompute/v7), enum type name → allowed
// values.
func enumValues(module string) (map[string][]string, error) {
	enumsMu.Lock()
	defer enumsMu.Unlock()
	if m, ok := enumsCache[module]; ok {
		return m, nil
	}
	dir, err := moduleDir(module)
	if err != nil {
		return nil, err
	}
	src, err := os.ReadFile(filepath.Join(dir, "constants.go"))
	if err != nil {
		return nil, fmt.Errorf("azurefake: reading the SDK's enums: %w", err)
	}
	consts := map[string]string{}
	for _, m := range constRE.FindAllStringSubmatch(string(src), -1) {
		consts[m[1]] = m[3]
	}
	out := map[string][]string{}
	for _, m := range possibleFuncRE.FindAllStringSubmatch(string(src), -1) {
		for _, name := range strings.FieldsFunc(m[3], func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
			if v, ok := consts[name]; ok {
				out[m[2]] = append(out[m[2]], v)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("azurefake: no enums found in %s/constants.go", dir)
	}
	enumsCache[module] = out
	return out, nil
}

// moduleDir is the module cache directory of module at the version linked into this binary, else
// the one `go list -m` reports.
func moduleDir(module string) (string, error) {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path != module {
				continue
			}
			if dep.Replace != nil {
				return dep.Replace.Path, nil
			}
			cache := os.Getenv("GOMODCACHE")
			if cache == "" {
				if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
					cache = strings.TrimSpace(string(out))
				}
			}
			if cache != "" {
				dir := filepath.Join(cache, escapePath(module)+"@"+dep.Version)
				if _, err := os.Stat(dir); err == nil {
					return dir, nil
				}
			}
		}
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		return "", fmt.Errorf("azurefake: cannot locate the module %s (go list: %w)", module, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// escapePath is a module path as the module cache spells it (upper case as !lower).
func escapePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
