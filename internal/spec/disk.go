package spec

import (
	"fmt"
	"slices"
	"strings"
)

// Disk is a disk's type and, for the types that take them, its provisioned performance. The zero
// Disk is the cloud's default type at its baseline performance.
type Disk struct {
	Type           string `json:",omitempty"`
	IOPS           int64  `json:",omitempty"`
	ThroughputMBps int64  `json:",omitempty"`
}

// The disk types each cloud's backend creates, the first being the default.
var DiskTypes = map[Cloud][]string{
	AWS:   {"gp3", "io2"},
	GCP:   {"pd-balanced", "pd-ssd", "pd-standard"},
	Azure: {"Premium_LRS", "StandardSSD_LRS", "PremiumV2_LRS"},
}

// Provisioned performance: the baseline a type includes (the floor of what may be asked for) and
// the types that take it.
const (
	// BaselineIOPS and BaselineThroughputMBps are what gp3 and Premium SSD v2 give without charge.
	BaselineIOPS           = 3000
	BaselineThroughputMBps = 125
	// MinIO2IOPS is the least an io2 volume may be provisioned with.
	MinIO2IOPS = 100
)

// EffectiveType is the disk's type on cloud: the configured one, or the cloud's default.
func (d Disk) EffectiveType(cloud Cloud) string {
	if d.Type != "" {
		return d.Type
	}
	if ts := DiskTypes[cloud]; len(ts) > 0 {
		return ts[0]
	}
	return ""
}

// IsDefault says the disk is the cloud's default type at baseline performance: what the backends
// created before the type could be chosen, so it adds nothing to a startup hash.
func (d Disk) IsDefault(cloud Cloud) bool {
	ts := DiskTypes[cloud]
	return len(ts) > 0 && d.EffectiveType(cloud) == ts[0] && d.IOPS == 0 && d.ThroughputMBps == 0
}

// HashSuffix is what the disk adds to its size in a startup hash: nothing for the default, so
// services applied before disk types could be chosen keep their hash (and roll no instance).
func (d Disk) HashSuffix(cloud Cloud) string {
	if d == (Disk{}) || d.IsDefault(cloud) {
		return ""
	}
	return fmt.Sprintf("/%s/%d/%d", d.EffectiveType(cloud), d.IOPS, d.ThroughputMBps)
}

// takesIOPS and takesThroughput say whether a type's performance is provisioned apart from its size.
func takesIOPS(t string) bool       { return t == "gp3" || t == "io2" || t == "PremiumV2_LRS" }
func takesThroughput(t string) bool { return t == "gp3" || t == "PremiumV2_LRS" }

// DiskProblems are the problems with a disk of d on cloud whose attributes are at typ, iops and
// throughput; os says it is a boot disk.
func DiskProblems(cloud Cloud, d Disk, typ, iops, throughput Path, os bool) Problems {
	var p problems
	p.validateDisk(cloud, d, diskPaths{typ, iops, throughput}, os)
	return p.list
}

// diskPaths names a disk's attributes: instance.disk_type… for the root disk, state.disk_type… for
// the state disk.
type diskPaths struct{ typ, iops, throughput Path }

func (p *problems) validateDisk(cloud Cloud, d Disk, paths diskPaths, os bool) {
	name := func(path Path) string { return path.String() }
	types := DiskTypes[cloud]
	if d.Type != "" && cloud != "" && !slices.Contains(types, d.Type) {
		hint := ""
		if near, ok := Closest(d.Type, types, 4); ok {
			hint = fmt.Sprintf(" Did you mean %q?", near)
		}
		for other, ts := range DiskTypes {
			if other != cloud && slices.Contains(ts, d.Type) {
				hint += fmt.Sprintf(" %q is a %s disk type.", d.Type, cloudTitle(other))
			}
		}
		p.add(paths.typ, "Invalid Disk Type", "%s = %q is not a %s disk type this provider creates; use one of %s.%s", name(paths.typ), d.Type, cloudTitle(cloud), quoteList(types), hint)
		return
	}
	t := d.EffectiveType(cloud)
	if os && t == "PremiumV2_LRS" {
		p.add(paths.typ, "Not an OS Disk Type",
			"%s = \"PremiumV2_LRS\": Azure cannot boot from a Premium SSD v2 disk. Use \"Premium_LRS\" or \"StandardSSD_LRS\" for the OS disk; Premium SSD v2 can hold the state disk.", name(paths.typ))
	}
	if d.IOPS != 0 {
		switch {
		case cloud != "" && !takesIOPS(t):
			p.add(paths.iops, "IOPS Not Provisioned", "%s applies to gp3 and io2 (AWS) and PremiumV2_LRS (Azure) disks; a %q disk's performance comes with its size. Remove it or change %s.", name(paths.iops), t, name(paths.typ))
		case t == "io2" && d.IOPS < MinIO2IOPS:
			p.add(paths.iops, "Invalid IOPS", "%s = %d: an io2 volume takes at least %d IOPS.", name(paths.iops), d.IOPS, MinIO2IOPS)
		case t != "io2" && d.IOPS < BaselineIOPS:
			p.add(paths.iops, "Invalid IOPS", "%s = %d: a %s disk includes %d IOPS; give at least that, or leave it unset for the baseline.", name(paths.iops), d.IOPS, t, BaselineIOPS)
		}
	} else if t == "io2" && cloud == AWS {
		p.add(paths.iops, "Missing IOPS", "%s is required with %s = \"io2\": an io2 volume is provisioned with its IOPS (at least %d).", name(paths.iops), name(paths.typ), MinIO2IOPS)
	}
	if d.ThroughputMBps != 0 {
		switch {
		case cloud != "" && !takesThroughput(t):
			p.add(paths.throughput, "Throughput Not Provisioned", "%s applies to gp3 (AWS) and PremiumV2_LRS (Azure) disks; a %q disk's throughput comes with its type and size. Remove it or change %s.", name(paths.throughput), t, name(paths.typ))
		case d.ThroughputMBps < BaselineThroughputMBps:
			p.add(paths.throughput, "Invalid Throughput", "%s = %d: a %s disk includes %d MB/s; give at least that, or leave it unset for the baseline.", name(paths.throughput), d.ThroughputMBps, t, BaselineThroughputMBps)
		}
	}
}

// DiskTypesText lists each cloud's disk types, for documentation.
func DiskTypesText() string {
	var parts []string
	for _, c := range []Cloud{AWS, GCP, Azure} {
		parts = append(parts, fmt.Sprintf("%s: %s", cloudTitle(c), strings.Join(backticked(DiskTypes[c]), ", ")))
	}
	return strings.Join(parts, "; ")
}

func backticked(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = "`" + v + "`"
	}
	return out
}
