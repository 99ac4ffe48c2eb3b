package spec

import (
	"errors"
	"regexp"
)

// BackupSchedule backs up a service's state volume on a schedule.
type BackupSchedule struct {
	ServiceID     string
	Cron          string
	TimeZone      string
	RetentionDays int64
	CopyToRegion  string
	VerifyRestore *VerifyRestore
	// AWSRoleARN is, on AWS, the role AWS Backup assumes ("" for the account's default role). Other
	// clouds back up with the platform's own identity.
	AWSRoleARN string `json:",omitempty"`
}

// VerifyRestore periodically restores a recovery point to prove backups work.
type VerifyRestore struct {
	Enabled bool
	Cron    string
}

// MinRetentionDays is the shortest retention each cloud accepts (Azure VM backup policies keep daily
// points at least 7 days).
var MinRetentionDays = map[Cloud]int64{AWS: 1, GCP: 1, Azure: 7}

// MaxRetentionDays is the longest retention accepted on every cloud (100 years).
const MaxRetentionDays = 36500

var regionLikeRe = regexp.MustCompile(`^[a-z]+[a-z0-9-]*[0-9a-z]$`)

// Validate returns every problem with the schedule. svc tells what is known about its service.
func (b *BackupSchedule) Validate(svc ServiceFacts) Problems {
	var p problems
	if _, err := ParseServiceID(b.ServiceID); err != nil {
		p.add(Root("service_id"), "Invalid Service ID", "%s", err)
	}
	cloud := Cloud("")
	if svc.Known {
		cloud = svc.ID.Cloud
	}
	if err := ValidateCron(b.Cron); err != nil {
		p.add(Root("cron"), "Invalid Cron Expression", "cron = %q: %s.", b.Cron, err)
	} else if !CronMinutesFixed(b.Cron) {
		p.add(Root("cron"), "Backups Too Frequent", "cron = %q runs more than once an hour; backup services take at most one backup an hour. Give a single minute, e.g. \"0 3 * * *\".", b.Cron)
	}
	p.checkTimeZone(Root("time_zone"), b.TimeZone)
	if cloud == GCP && ValidateCron(b.Cron) == nil {
		if _, err := GCPSnapshotSchedule(b.Cron, b.TimeZone); err != nil {
			var sp *ScheduleProblem
			if errors.As(err, &sp) {
				p.add(Root(sp.Attribute), "Not A Snapshot Schedule", "%s.", sp.Message)
			}
		}
	}
	if cloud == Azure && ValidateCron(b.Cron) == nil {
		// The location-independent rules; copy_to_region against the paired region needs the
		// service's location, which the backend reads (see the provider's plan).
		p.list = append(p.list, AzureBackupProblems(b, "")...)
	}
	minDays := int64(1)
	if cloud != "" {
		minDays = MinRetentionDays[cloud]
	}
	if b.RetentionDays < minDays || b.RetentionDays > MaxRetentionDays {
		p.add(Root("retention_days"), "Invalid Retention", "retention_days = %d must be between %d and %d%s.", b.RetentionDays, minDays, MaxRetentionDays, cloudSuffix(cloud))
	}
	if r := b.CopyToRegion; r != "" {
		switch {
		case !regionLikeRe.MatchString(r):
			p.add(Root("copy_to_region"), "Invalid Region", "copy_to_region = %q is not a region name.", r)
		case svc.Known && r == svc.ID.Region():
			p.addRelated(Root("copy_to_region"), []Path{Root("service_id")}, "Copy To Same Region",
				"copy_to_region = %q is the service's own region; a copy there does not survive a regional outage. Choose another region.", r)
		case cloud == AWS && !ValidAWSRegion(r):
			p.add(Root("copy_to_region"), "Invalid Region", "%s", AWSRegionProblem("copy_to_region", r))
		case cloud == GCP && StorageMultiRegion(r) == "":
			p.add(Root("copy_to_region"), "Invalid Region", "copy_to_region = %q is not a Google Cloud region in the us, eu or asia storage multi-regions that snapshots are copied to.", r)
		}
		if cloud != "" {
			p.requireCapability(cloud, FeatureBackupCopy, Root("copy_to_region"), "copy_to_region")
		}
	}
	if b.AWSRoleARN != "" && cloud != "" && cloud != AWS {
		p.add(Root("iam_role_arn"), "Not Supported on "+cloudTitle(cloud),
			"iam_role_arn is the role AWS Backup assumes; %s backs up with its own identity. Remove iam_role_arn.", cloudTitle(cloud))
	}
	if v := b.VerifyRestore; v != nil && v.Enabled {
		if err := ValidateCron(v.Cron); err != nil {
			p.add(Root("verify_restore").At("cron"), "Invalid Cron Expression", "verify_restore.cron = %q: %s.", v.Cron, err)
		}
		if cloud != "" {
			p.requireCapability(cloud, FeatureBackupVerify, Root("verify_restore"), "verify_restore")
		}
	}
	return p.list
}

func cloudSuffix(c Cloud) string {
	if c == "" {
		return ""
	}
	return " on " + cloudTitle(c)
}
