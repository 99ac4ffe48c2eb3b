package spec

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestAzurePairedRegion: pairs are mutual except the one-way pairs the source lists, and every
// region pairs with another one.
func TestAzurePairedRegion(t *testing.T) {
	t.Parallel()
	oneWay := map[string]bool{"brazilsouth": true, "westus3": true, "westindia": true, "usgovarizona": true}
	for r, p := range azurePairs {
		if p == r || azurePairs[p] == "" {
			t.Errorf("%s → %s, which pairs with nothing", r, p)
		}
		if azurePairs[p] != r && !oneWay[r] {
			t.Errorf("%s → %s → %s is not mutual", r, p, azurePairs[p])
		}
	}
	if AzurePairedRegion("WestEurope") != "northeurope" || AzurePairedRegion("polandcentral") != "" {
		t.Error("lookup")
	}
}

// TestAzureTimeZones: every IANA zone of the table exists.
func TestAzureTimeZones(t *testing.T) {
	t.Parallel()
	for iana := range azureTimeZones {
		if _, err := time.LoadLocation(iana); err != nil {
			t.Errorf("%s: %v", iana, err)
		}
	}
	if AzureIANATimeZone("W. Europe Standard Time", "Europe/Rome") != "Europe/Rome" || AzureIANATimeZone("UTC", "") != "" || AzureIANATimeZone("Tokyo Standard Time", "UTC") != "Asia/Tokyo" {
		t.Error("reverse lookup")
	}
}

func TestAzureVMSchedule(t *testing.T) {
	t.Parallel()
	ok := map[[2]string]VMBackupSchedule{
		{"0 3 * * *", ""}:                   {Hour: 3, TimeZone: "UTC"},
		{"30 23 * * *", "America/New_York"}: {Hour: 23, Minute: 30, TimeZone: "Eastern Standard Time"},
		{"0 1 * * SUN,6", "UTC"}:            {Days: []string{"Sunday", "Saturday"}, Hour: 1, TimeZone: "UTC"},
		{"0 1 * * 0-6", "UTC"}:              {Hour: 1, TimeZone: "UTC"},
	}
	for in, want := range ok {
		got, err := AzureVMSchedule(in[0], in[1])
		if err != nil || !reflect.DeepEqual(*got, want) {
			t.Errorf("%q in %q: %+v %v", in[0], in[1], got, err)
		}
	}
	bad := map[[2]string]string{
		{"15 3 * * *", "UTC"}:           "cron",
		{"0 */2 * * *", "UTC"}:          "cron",
		{"0 3 1 * *", "UTC"}:            "cron",
		{"0 3 * * *", "America/Havana"}: "time_zone",
	}
	for in, attr := range bad {
		_, err := AzureVMSchedule(in[0], in[1])
		sp, isSP := err.(*ScheduleProblem) //nolint:errorlint // ours, unwrapped
		if !isSP || sp.Attribute != attr {
			t.Errorf("%q in %q: %v", in[0], in[1], err)
		}
	}
}

func TestAzureBackupProblems(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		b        BackupSchedule
		location string
		want     string // "" for none
	}{
		"paired":           {BackupSchedule{Cron: "0 3 * * *", RetentionDays: 30, CopyToRegion: "westus"}, "eastus", ""},
		"not paired":       {BackupSchedule{Cron: "0 3 * * *", RetentionDays: 30, CopyToRegion: "centralus"}, "eastus", `for eastus that is "westus"`},
		"no pair":          {BackupSchedule{Cron: "0 3 * * *", RetentionDays: 30, CopyToRegion: "germanywestcentral"}, "polandcentral", "has no Azure paired region"},
		"daily too long":   {BackupSchedule{Cron: "0 3 * * *", RetentionDays: 10000}, "eastus", "at most 9999 days"},
		"weekly long":      {BackupSchedule{Cron: "0 3 * * SUN", RetentionDays: 36000}, "eastus", ""},
		"weekly too long":  {BackupSchedule{Cron: "0 3 * * SUN", RetentionDays: 36500}, "eastus", "at most 5163 weeks"},
		"quarter past":     {BackupSchedule{Cron: "15 3 * * *", RetentionDays: 30}, "eastus", "minute 0 or 30"},
		"location unknown": {BackupSchedule{Cron: "0 3 * * *", RetentionDays: 30, CopyToRegion: "centralus"}, "", ""},
	}
	for name, c := range cases {
		ps := AzureBackupProblems(&c.b, c.location)
		switch {
		case c.want == "" && len(ps) != 0:
			t.Errorf("%s: %v", name, ps)
		case c.want != "" && (len(ps) != 1 || !strings.Contains(ps[0].Detail, c.want)):
			t.Errorf("%s: %v", name, ps)
		}
	}
}
