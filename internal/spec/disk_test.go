package spec

import "testing"

// TestDiskValidate: each cloud takes its own disk types, the provisioned IOPS and throughput only of
// the types that have them, above the included baseline; Azure boots from no Premium SSD v2 and
// attaches one only in a zone.
func TestDiskValidate(t *testing.T) {
	t.Parallel()
	valid := map[string]func(*Service){
		"aws gp3 tuned": func(s *Service) { s.Instance.Disk = Disk{Type: "gp3", IOPS: 6000, ThroughputMBps: 250} },
		"aws io2 state": func(s *Service) {
			s.State = &StateVolume{SizeGiB: 100, MountPath: DefaultStateMountPath, Disk: Disk{Type: "io2", IOPS: 4000}}
		},
		"gcp pd-ssd": func(s *Service) {
			toGCP(s)
			s.Instance.Disk.Type = "pd-ssd"
			s.State = &StateVolume{SizeGiB: 50, MountPath: DefaultStateMountPath, Disk: Disk{Type: "pd-standard"}}
		},
		"azure v2 state": func(s *Service) {
			toAzure(s)
			s.Instance.Disk.Type = "StandardSSD_LRS"
			s.State = &StateVolume{SizeGiB: 64, MountPath: DefaultStateMountPath, Disk: Disk{Type: "PremiumV2_LRS", IOPS: 5000, ThroughputMBps: 200}}
		},
	}
	for name, mut := range valid {
		s := validAWSService()
		mut(&s)
		if ps := s.Validate(); len(ps) != 0 {
			t.Errorf("%s: %v", name, ps)
		}
	}
	cases := []struct {
		name, path, want string
		mut              func(*Service)
	}{
		{"another cloud's type", "instance.disk_type", `"pd-ssd" is a Google Cloud disk type`, func(s *Service) { s.Instance.Disk.Type = "pd-ssd" }},
		{"typo", "instance.disk_type", `Did you mean "gp3"?`, func(s *Service) { s.Instance.Disk.Type = "gp2" }},
		{"io2 without iops", "instance.disk_iops", "required with instance.disk_type = \"io2\"", func(s *Service) { s.Instance.Disk.Type = "io2" }},
		{"gp3 below baseline", "instance.disk_iops", "includes 3000 IOPS", func(s *Service) { s.Instance.Disk.IOPS = 1000 }},
		{"io2 throughput", "instance.disk_throughput_mbps", "applies to gp3 (AWS) and PremiumV2_LRS (Azure)", func(s *Service) {
			s.Instance.Disk = Disk{Type: "io2", IOPS: 1000, ThroughputMBps: 500}
		}},
		{"pd-ssd iops", "state.iops", `a "pd-ssd" disk's performance comes with its size`, func(s *Service) {
			toGCP(s)
			s.State = &StateVolume{SizeGiB: 10, MountPath: DefaultStateMountPath, Disk: Disk{Type: "pd-ssd", IOPS: 5000}}
		}},
		{"azure v2 os", "instance.disk_type", "cannot boot from a Premium SSD v2 disk", func(s *Service) {
			toAzure(s)
			s.Instance.Disk.Type = "PremiumV2_LRS"
		}},
		{"azure v2 no zones", "state.disk_type", "only to VMs in an availability zone", func(s *Service) {
			toAzure(s)
			s.Azure.Zones = nil
			s.State = &StateVolume{SizeGiB: 10, MountPath: DefaultStateMountPath, Disk: Disk{Type: "PremiumV2_LRS"}}
		}},
		{"premium ssd throughput", "state.throughput_mbps", "comes with its type and size", func(s *Service) {
			toAzure(s)
			s.State = &StateVolume{SizeGiB: 10, MountPath: DefaultStateMountPath, Disk: Disk{ThroughputMBps: 200}}
		}},
	}
	for _, c := range cases {
		s := validAWSService()
		c.mut(&s)
		assertProblem(t, s.Validate(), c.path, c.want)
	}
}

// TestDiskHashSuffix: the default disk adds nothing to a startup hash, so services applied before
// disk types could be chosen roll no instance; any other type or performance does.
func TestDiskHashSuffix(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		cloud Cloud
		d     Disk
		want  string
	}{
		{AWS, Disk{}, ""}, {AWS, Disk{Type: "gp3"}, ""}, {GCP, Disk{Type: "pd-balanced"}, ""}, {Azure, Disk{Type: "Premium_LRS"}, ""},
		{AWS, Disk{Type: "gp3", IOPS: 4000}, "/gp3/4000/0"}, {GCP, Disk{Type: "pd-ssd"}, "/pd-ssd/0/0"}, {Azure, Disk{Type: "StandardSSD_LRS"}, "/StandardSSD_LRS/0/0"},
	} {
		if got := c.d.HashSuffix(c.cloud); got != c.want {
			t.Errorf("%s %+v: %q, want %q", c.cloud, c.d, got, c.want)
		}
	}
}
