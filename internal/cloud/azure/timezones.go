package azure

import "github.com/dspyops/terraform-provider-dspy/internal/spec"

// WindowsTimeZone is the Windows time zone an autoscale recurrence uses for the IANA zone tz ("" is
// UTC); ok is false when Azure has no zone for it (spec.AzureWindowsTimeZone holds the table).
func WindowsTimeZone(tz string) (string, bool) {
	w := spec.AzureWindowsTimeZone(tz)
	return w, w != ""
}
