package spec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// azurePairs is each Azure region's paired region: where a geo-redundant Recovery Services vault
// replicates its backups and where Cross Region Restore restores them. Source: Microsoft Learn,
// "Azure cross-region replication pairings for all geographies"
// (learn.microsoft.com/azure/reliability/cross-region-replication-azure). Some pairs are one-way
// (brazilsouth → southcentralus, westus3 → eastus, westindia → southindia); regions without a pair
// (e.g. polandcentral, italynorth, qatarcentral) are absent.
var azurePairs = map[string]string{
	"eastus": "westus", "westus": "eastus", "eastus2": "centralus", "centralus": "eastus2",
	"westus2": "westcentralus", "westcentralus": "westus2", "westus3": "eastus",
	"northcentralus": "southcentralus", "southcentralus": "northcentralus", "brazilsouth": "southcentralus",
	"canadacentral": "canadaeast", "canadaeast": "canadacentral",
	"northeurope": "westeurope", "westeurope": "northeurope", "uksouth": "ukwest", "ukwest": "uksouth",
	"francecentral": "francesouth", "francesouth": "francecentral", "germanywestcentral": "germanynorth", "germanynorth": "germanywestcentral",
	"switzerlandnorth": "switzerlandwest", "switzerlandwest": "switzerlandnorth", "norwayeast": "norwaywest", "norwaywest": "norwayeast",
	"swedencentral": "swedensouth", "swedensouth": "swedencentral",
	"eastasia": "southeastasia", "southeastasia": "eastasia", "japaneast": "japanwest", "japanwest": "japaneast",
	"koreacentral": "koreasouth", "koreasouth": "koreacentral", "centralindia": "southindia", "southindia": "centralindia", "westindia": "southindia",
	"jioindiawest": "jioindiacentral", "jioindiacentral": "jioindiawest",
	"australiaeast": "australiasoutheast", "australiasoutheast": "australiaeast", "australiacentral": "australiacentral2", "australiacentral2": "australiacentral",
	"southafricanorth": "southafricawest", "southafricawest": "southafricanorth", "uaenorth": "uaecentral", "uaecentral": "uaenorth",
	"chinanorth": "chinaeast", "chinaeast": "chinanorth", "chinanorth2": "chinaeast2", "chinaeast2": "chinanorth2", "chinanorth3": "chinaeast3", "chinaeast3": "chinanorth3",
	"usgovvirginia": "usgovtexas", "usgovtexas": "usgovvirginia", "usgovarizona": "usgovtexas",
}

// AzurePairedRegion is the region a location's geo-redundant backups go to ("" when it has none).
func AzurePairedRegion(location string) string { return azurePairs[strings.ToLower(location)] }

// AzureWindowsTimeZone is the Windows name of an IANA time zone ("UTC" for ""), or "" when the
// provider knows none.
func AzureWindowsTimeZone(tz string) string {
	if tz == "" {
		return "UTC"
	}
	return azureTimeZones[tz]
}

// AzureIANATimeZone is an IANA zone whose Windows name is win, preferring prefer (the configured
// one) and "UTC" for UTC.
func AzureIANATimeZone(win, prefer string) string {
	if AzureWindowsTimeZone(prefer) == win {
		return prefer
	}
	if win == "UTC" {
		return "UTC"
	}
	var names []string
	for k, v := range azureTimeZones {
		if v == win {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// VMBackupSchedule is a backup cron as an Azure VM backup policy's schedule: once a day, or on
// Days (Sunday … Saturday), at Hour:Minute in the Windows time zone TimeZone.
type VMBackupSchedule struct {
	Days         []string
	Hour, Minute int
	TimeZone     string
}

var azureDays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// AzureVMSchedule translates a backup cron and time zone into a VM backup policy schedule. A cron it
// cannot express is a *ScheduleProblem naming the attribute and the nearest cron that works.
func AzureVMSchedule(cron, tz string) (*VMBackupSchedule, error) {
	f := strings.Fields(cron)
	if len(f) != 5 {
		return nil, &ScheduleProblem{"cron", fmt.Sprintf("cron = %q is not a five-field cron expression", cron)}
	}
	win := AzureWindowsTimeZone(tz)
	if win == "" {
		return nil, &ScheduleProblem{"time_zone", fmt.Sprintf("time_zone = %q has no Windows time zone name known to the provider, which Azure Backup policies need: use \"UTC\" or a zone such as \"Europe/Berlin\" or \"America/New_York\"", tz)}
	}
	hour, herr := strconv.Atoi(f[1])
	nearest := func(why string) error {
		h := f[1]
		if herr != nil || hour < 0 || hour > 23 {
			h = "3"
		}
		return &ScheduleProblem{"cron", fmt.Sprintf("cron = %q cannot be an Azure VM backup policy schedule: %s. The nearest that can: \"0 %s * * *\" (daily) or \"0 %s * * SUN\" (weekly)", cron, why, h, h)}
	}
	minute, err := strconv.Atoi(f[0])
	if err != nil || (minute != 0 && minute != 30) {
		return nil, nearest("VM backups start on the hour or half hour (minute 0 or 30)")
	}
	if herr != nil || hour < 0 || hour > 23 {
		return nil, nearest("VM backups run once a day, at one hour")
	}
	if f[2] != "*" || f[3] != "*" {
		return nil, nearest("VM backup policies run daily or on days of the week, not on days of the month or in some months")
	}
	out := &VMBackupSchedule{Hour: hour, Minute: minute, TimeZone: win}
	if f[4] == "*" {
		return out, nil
	}
	days, err := cronDays(f[4])
	if err != nil {
		return nil, nearest(err.Error())
	}
	if len(days) == 7 {
		return out, nil
	}
	for _, d := range days {
		out.Days = append(out.Days, azureDays[d])
	}
	return out, nil
}

// Azure VM backup policies keep daily points at most 9999 days and weekly points at most 5163 weeks.
const (
	AzureMaxDailyRetentionDays   = 9999
	AzureMaxWeeklyRetentionWeeks = 5163
)

// AzureBackupProblems are the problems of a schedule for a service in location that only Azure has:
// a cron or time zone a VM backup policy cannot take, a retention beyond the policy's limits, and a
// copy_to_region other than the location's paired region.
func AzureBackupProblems(b *BackupSchedule, location string) Problems {
	var p problems
	s, err := AzureVMSchedule(b.Cron, b.TimeZone)
	if sp, ok := err.(*ScheduleProblem); ok { //nolint:errorlint // ours, unwrapped
		p.add(Root(sp.Attribute), "Not A VM Backup Schedule", "%s.", sp.Message)
	}
	if s != nil && len(s.Days) == 0 && b.RetentionDays > AzureMaxDailyRetentionDays {
		p.add(Root("retention_days"), "Invalid Retention", "retention_days = %d: an Azure VM backup policy keeps daily recovery points at most %d days; back up weekly (cron on days of the week) to keep them longer.", b.RetentionDays, AzureMaxDailyRetentionDays)
	}
	if s != nil && len(s.Days) > 0 && (b.RetentionDays+6)/7 > AzureMaxWeeklyRetentionWeeks {
		p.add(Root("retention_days"), "Invalid Retention", "retention_days = %d: an Azure VM backup policy keeps weekly recovery points at most %d weeks.", b.RetentionDays, AzureMaxWeeklyRetentionWeeks)
	}
	if r := b.CopyToRegion; r != "" && location != "" && !strings.EqualFold(r, location) {
		switch pair := AzurePairedRegion(location); {
		case pair == "":
			p.add(Root("copy_to_region"), "No Paired Region", "copy_to_region = %q: the service's location %s has no Azure paired region, so a Recovery Services vault there cannot copy backups to another region. Remove copy_to_region.", r, location)
		case !strings.EqualFold(pair, r):
			p.add(Root("copy_to_region"), "Not The Paired Region", "copy_to_region = %q: Azure copies geo-redundant backups only to the location's paired region; for %s that is %q.", r, location, pair)
		}
	}
	return p.list
}
