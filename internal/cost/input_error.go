package cost

import (
	"sort"
	"strings"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// InputError is an estimate input the catalog cannot price. Field names the service setting it
// comes from (region, instance_type, lm_model), so that the error can be reported on the attribute
// that sets it.
type InputError struct {
	Field string
	Err   error
}

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// nearest renders the up to three candidates closest to s, for an error message.
func nearest(s string, candidates []string) string {
	cs := append([]string(nil), candidates...)
	sort.SliceStable(cs, func(i, j int) bool { return spec.EditDistance(s, cs[i]) < spec.EditDistance(s, cs[j]) })
	if len(cs) == 0 {
		return ""
	}
	return " (nearest: " + strings.Join(cs[:min(3, len(cs))], ", ") + ")"
}
