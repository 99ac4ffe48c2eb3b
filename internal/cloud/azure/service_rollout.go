package azure

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// RolloutError is a rolling upgrade that did not complete: why, and what the provider did.
type RolloutError struct {
	ScaleSet, Reason string
	// RolledBack is true when the previous model was written back and its upgrade completed.
	RolledBack bool
	// RollbackErr is why writing back the previous model (or its upgrade) failed, if it did.
	RollbackErr error
}

func (e *RolloutError) Error() string {
	msg := fmt.Sprintf("the rolling upgrade of scale set %s failed: %s", e.ScaleSet, e.Reason)
	switch {
	case e.RollbackErr != nil:
		msg += fmt.Sprintf(". Restoring the previous model also failed (%v): fix the cause and apply again", e.RollbackErr)
	case e.RolledBack:
		msg += ". The previous model was restored (rollout.auto_rollback) and the instances run the previous version; fix the cause and apply again"
	default:
		msg += ". The scale set keeps the new model (rollout.auto_rollback = false): fix the cause and apply again"
	}
	return msg
}

// latestUpgrade is the scale set's latest rolling upgrade (nil when none has run).
func (a *ServiceAPI) latestUpgrade(ctx context.Context, service string) (*armcompute.RollingUpgradeStatusInfo, error) {
	r, err := a.c.RollingUpgrades.GetLatest(ctx, a.group, ScaleSetName(service), nil)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the latest rolling upgrade of scale set %s: %w", service, err)
	}
	return &r.RollingUpgradeStatusInfo, nil
}

func upgradeCode(u *armcompute.RollingUpgradeStatusInfo) armcompute.RollingUpgradeStatusCode {
	if u == nil || u.Properties == nil || u.Properties.RunningStatus == nil || u.Properties.RunningStatus.Code == nil {
		return ""
	}
	return *u.Properties.RunningStatus.Code
}

// upgradeDone is the rollout status a finished upgrade gives ("" while it runs).
func (a *ServiceAPI) upgradeDone(ctx context.Context, service string) (string, error) {
	u, err := a.latestUpgrade(ctx, service)
	if err != nil {
		return "", err
	}
	switch upgradeCode(u) {
	case armcompute.RollingUpgradeStatusCodeCompleted, "":
		return cloud.RolloutSucceeded, nil
	case armcompute.RollingUpgradeStatusCodeFaulted, armcompute.RollingUpgradeStatusCodeCancelled:
		return cloud.RolloutFailed, nil
	}
	return "", nil
}

// waitUpgrade waits for the rolling upgrade started after since (the scale set's model write) to
// end, and then for capacity.min healthy instances. A Faulted or Cancelled upgrade is a
// RolloutError with Azure's reason.
func (a *ServiceAPI) waitUpgrade(ctx context.Context, s *spec.Service, since time.Time) error {
	var failure string
	err := cloud.WaitFor(ctx, "the rolling upgrade of scale set "+s.Name, func(ctx context.Context) (bool, string, error) {
		u, err := a.latestUpgrade(ctx, s.Name)
		if err != nil {
			return false, "", err
		}
		code := upgradeCode(u)
		if code != "" && (u.Properties.RunningStatus.StartTime == nil || u.Properties.RunningStatus.StartTime.Before(since)) {
			code = "" // an earlier upgrade: this model change started none
		}
		switch code {
		case armcompute.RollingUpgradeStatusCodeFaulted, armcompute.RollingUpgradeStatusCodeCancelled:
			failure = string(code)
			if e := u.Properties.Error; e != nil {
				failure = str(e.Code) + ": " + str(e.Message)
			}
			return false, "", errRolloutFailed
		case armcompute.RollingUpgradeStatusCodeCompleted, "":
			// No upgrade recorded: the scale set had no instance to upgrade.
			return true, "completed", nil
		}
		state := string(code)
		if p := u.Properties.Progress; p != nil {
			state = fmt.Sprintf("%s: %d upgraded, %d in progress, %d failed, %d pending", code,
				val(p.SuccessfulInstanceCount), val(p.InProgressInstanceCount), val(p.FailedInstanceCount), val(p.PendingInstanceCount))
		}
		return false, state, nil
	}, func(state string) {
		tflog.Info(ctx, "waiting for the rolling upgrade", map[string]any{"scale_set": s.Name, "state": state})
	})
	switch {
	case errors.Is(err, errRolloutFailed):
		return &RolloutError{ScaleSet: s.Name, Reason: failure}
	case err != nil:
		return &RolloutError{ScaleSet: s.Name, Reason: err.Error()}
	}
	if _, err := a.waitCapacity(ctx, s); err != nil {
		return &RolloutError{ScaleSet: s.Name, Reason: err.Error()}
	}
	return nil
}

var errRolloutFailed = errors.New("rollout failed")

func val(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

// rollBack writes the previous model back after a failed upgrade (Azure's own rollback only
// reimages the failed instances with the previous model when the policy is breached, and leaves the
// scale set's model on the new one: this is the capability table's "emulated" rollback) and waits
// for its upgrade, on its own time: the caller's context may be what ran out.
func (a *ServiceAPI) rollBack(ctx context.Context, prev *armcompute.VirtualMachineScaleSet, s *spec.Service, re *RolloutError) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cloud.UndoTimeout)
	defer cancel()
	tflog.Warn(ctx, "the rolling upgrade failed: writing the previous model back", map[string]any{"scale_set": s.Name, "reason": re.Reason})
	since := time.Now()
	if err := a.putScaleSet(rctx, s.Name, prev); err != nil {
		re.RollbackErr = err
		return re
	}
	if err := a.waitUpgrade(rctx, s, since); err != nil {
		re.RollbackErr = err
		return re
	}
	re.RolledBack = true
	return re
}
