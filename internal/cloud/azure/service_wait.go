package azure

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// machine is one of the scale set's virtual machines with what its instance view says.
type machine struct {
	vm                       *armcompute.VirtualMachine
	provisioning, power, app string // "succeeded", "running", "healthy" …
}

func (m machine) name() string { return str(m.vm.Name) }

// serving reports whether the machine is provisioned, running and (with the health extension,
// which every scale set of this provider has) reported healthy.
func (m machine) serving() bool {
	return m.provisioning == "succeeded" && m.power == "running" && m.app == "healthy"
}

// machines are the scale set's virtual machines, each with its instance view. A Flexible scale
// set's machines are ordinary virtual machines of the resource group that name it. One list with
// $expand=instanceView (allowed with a $filter on the scale set) brings every instance view; a
// machine listed without one has it read on its own.
func (a *ServiceAPI) machines(ctx context.Context, service string) ([]machine, error) {
	id := ScaleSetID(a.sub, a.group, service)
	filter := "'virtualMachineScaleSet/id' eq '" + id + "'"
	pager := a.c.VMs.NewListPager(a.group, &armcompute.VirtualMachinesClientListOptions{Filter: &filter, Expand: to.Ptr(armcompute.ExpandTypeForListVMsInstanceView)})
	var out []machine
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the virtual machines of scale set %s: %w", service, err)
		}
		for _, vm := range page.Value {
			if vm.Properties == nil || vm.Properties.VirtualMachineScaleSet == nil || !strings.EqualFold(str(vm.Properties.VirtualMachineScaleSet.ID), id) {
				continue
			}
			iv := vm.Properties.InstanceView
			if iv == nil {
				r, err := a.c.VMs.InstanceView(ctx, a.group, str(vm.Name), nil)
				switch {
				case isNotFound(err):
					continue // removed while listing
				case err != nil:
					return nil, fmt.Errorf("reading the instance view of %s: %w", str(vm.Name), err)
				}
				iv = &r.VirtualMachineInstanceView
			}
			out = append(out, readMachine(vm, iv))
		}
	}
	return out, nil
}

// readMachine is a machine with the states its instance view reports.
func readMachine(vm *armcompute.VirtualMachine, iv *armcompute.VirtualMachineInstanceView) machine {
	m := machine{vm: vm}
	for _, s := range iv.Statuses {
		kind, value, _ := strings.Cut(strings.ToLower(str(s.Code)), "/")
		switch kind {
		case "provisioningstate":
			m.provisioning = value
		case "powerstate":
			m.power = value
		}
	}
	if iv.VMHealth != nil && iv.VMHealth.Status != nil {
		_, m.app, _ = strings.Cut(strings.ToLower(str(iv.VMHealth.Status.Code)), "/")
	}
	return m
}

// waitCapacity waits until at least capacity.min machines serve, and returns the scale set's
// capacity.
func (a *ServiceAPI) waitCapacity(ctx context.Context, s *spec.Service) (int64, error) {
	var n int64
	err := cloud.WaitFor(ctx, fmt.Sprintf("%d healthy instances in scale set %s", s.Capacity.Min, s.Name), func(ctx context.Context) (bool, string, error) {
		ms, err := a.machines(ctx, s.Name)
		if err != nil {
			return false, "", err
		}
		var ok int64
		for _, m := range ms {
			if m.serving() {
				ok++
			}
		}
		n = int64(len(ms))
		return ok >= s.Capacity.Min, fmt.Sprintf("%d of %d healthy (min %d)", ok, len(ms), s.Capacity.Min), nil
	}, func(state string) {
		tflog.Info(ctx, "waiting for capacity", map[string]any{"scale_set": s.Name, "state": state})
	})
	return n, err
}
