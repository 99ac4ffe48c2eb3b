package azure

import (
	"testing"
	"time"
	_ "time/tzdata" // every machine checks the same zones

	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// TestWindowsTimeZone: every mapped IANA zone exists and maps to a Windows zone Azure autoscale
// accepts (the fake holds the REST reference's list); a zone Azure lacks is not guessed.
func TestWindowsTimeZone(t *testing.T) {
	t.Parallel()
	for _, iana := range spec.AzureTimeZones() {
		win := spec.AzureWindowsTimeZone(iana)
		if _, err := time.LoadLocation(iana); err != nil {
			t.Errorf("%s is not an IANA zone: %v", iana, err)
		}
		if !azurefake.KnownTimeZone(win) {
			t.Errorf("%s maps to %q, which Azure autoscale does not accept", iana, win)
		}
	}
	for tz, want := range map[string]string{"": "UTC", "Europe/Berlin": "W. Europe Standard Time", "America/New_York": "Eastern Standard Time",
		"Asia/Kolkata": "India Standard Time", "Australia/Sydney": "AUS Eastern Standard Time"} {
		if got, ok := WindowsTimeZone(tz); !ok || got != want {
			t.Errorf("WindowsTimeZone(%q) = %q %v, want %q", tz, got, ok, want)
		}
	}
	for _, tz := range []string{"America/Havana", "Asia/Pyongyang", "Local"} {
		if got, ok := WindowsTimeZone(tz); ok {
			t.Errorf("WindowsTimeZone(%q) = %q; Azure autoscale has no such zone", tz, got)
		}
	}
}
