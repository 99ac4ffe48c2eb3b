package gcp

import (
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func TestBackupAPI_lifecycle(t *testing.T) {
	t.Parallel()
	api, f := testAPI(t, "us-central1")
	s := regionalService("us-central1")
	s.State = &spec.StateVolume{SizeGiB: 20, MountPath: "/var/lib/dspy"}
	st := create(t, api, s, nil, "owner-one")
	ctx := ctxT(t)
	id := spec.ServiceID{Cloud: spec.GCP, Scope: "acme-prod/us-central1", Name: "qa-bot"}
	bk := &BackupAPI{s: api}
	b := &spec.BackupSchedule{ServiceID: id.String(), Cron: "0 2 * * MON-FRI", TimeZone: "Asia/Tokyo", RetentionDays: 14, CopyToRegion: "us-west1"}
	if _, err := bk.Create(ctx, id, b); err != nil {
		t.Fatal(err)
	}
	rp, err := bk.getPolicy(ctx, "qa-bot-backup")
	if err != nil {
		t.Fatal(err)
	}
	w := rp.GetSnapshotSchedulePolicy().GetSchedule().GetWeeklySchedule()
	if len(w.GetDayOfWeeks()) != 5 || w.GetDayOfWeeks()[0].GetDay() != "SUNDAY" || w.GetDayOfWeeks()[0].GetStartTime() != "17:00" ||
		rp.GetSnapshotSchedulePolicy().GetSnapshotProperties().GetStorageLocations()[0] != "us" {
		t.Errorf("snapshot schedule %v", rp.GetSnapshotSchedulePolicy())
	}
	onPolicy := func(what string) string {
		t.Helper()
		g, err := api.getGroup(ctx, "qa-bot")
		if err != nil {
			t.Fatal(err)
		}
		tp, err := api.getTemplate(ctx, lastSegment(g.GetInstanceTemplate()))
		if err != nil {
			t.Fatal(err)
		}
		mis, err := api.managedInstances(ctx, "qa-bot")
		if err != nil {
			t.Fatal(err)
		}
		for _, mi := range mis {
			if lastSegment(mi.GetVersion().GetInstanceTemplate()) != tp.GetName() {
				t.Errorf("%s: instance %s runs %s, not the group's %s", what, mi.GetInstance(), mi.GetVersion().GetInstanceTemplate(), tp.GetName())
			}
		}
		if n := kinds(f)["compute#instanceTemplate"]; n != 1 {
			t.Errorf("%s: %d templates, want 1", what, n)
		}
		return strings.Join(statePolicies(tp), ",") + " on " + tp.GetName()
	}
	if got := onPolicy("after create"); !strings.HasPrefix(got, "projects/acme-prod/regions/us-central1/resourcePolicies/qa-bot-backup on ") || !strings.HasSuffix(got, "-b") {
		t.Errorf("after create the state disk has %s", got)
	}
	read, err := bk.Read(ctx, id, nil)
	if err != nil || read.Native[NativeBackupAttached] != "true" || read.Schedule.Cron != b.Cron || read.Schedule.RetentionDays != 14 {
		t.Fatalf("import: %v %+v", err, read)
	}

	// The policy cannot be deleted while disks use it (the fake is strict about it).
	if err := bk.deletePolicy(ctx, "qa-bot-backup"); err == nil {
		t.Fatal("deleted a snapshot schedule the state disks use")
	}

	// A rollout of the service keeps the schedule on the state disk.
	rolled := regionalService("us-central1")
	rolled.State, rolled.Container.Image = s.State, "ghcr.io/acme/qa-bot:1.5.0"
	prior, err := api.Read(ctx, id, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Update(ctx, cloud.ServiceChange{Prior: prior, PriorService: s, Service: rolled}); err != nil {
		t.Fatal(err)
	}
	if got := onPolicy("after a service rollout"); !strings.Contains(got, "qa-bot-backup") {
		t.Errorf("after a service rollout the state disk has %q", got)
	}

	// Daily now, and a longer retention: patched in place.
	b2 := *b
	b2.Cron, b2.TimeZone, b2.RetentionDays, b2.CopyToRegion = "0 3 * * *", "UTC", 30, ""
	if _, err := bk.Update(ctx, id, &b2, read); err != nil {
		t.Fatal(err)
	}
	rp, _ = bk.getPolicy(ctx, "qa-bot-backup")
	if sp := rp.GetSnapshotSchedulePolicy(); sp.GetSchedule().GetWeeklySchedule() != nil || sp.GetSchedule().GetDailySchedule().GetStartTime() != "03:00" ||
		sp.GetRetentionPolicy().GetMaxRetentionDays() != 30 || len(sp.GetSnapshotProperties().GetStorageLocations()) != 0 {
		t.Errorf("after the update: %v", sp)
	}

	if err := bk.Delete(ctx, id, read); err != nil {
		t.Fatal(err)
	}
	if got := onPolicy("after delete"); strings.Contains(got, "backup") {
		t.Errorf("after delete the state disk has %q", got)
	}
	if n := kinds(f)["compute#resourcePolicy"]; n != 0 {
		t.Errorf("%d resource policies after delete", n)
	}
}
