package azure

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
)

// Clients are the Resource Manager clients of a service (scale set, its machines and rolling
// upgrades, its load balancer, its autoscale setting), built on the session's credential and cloud.
type Clients struct {
	ScaleSets       *armcompute.VirtualMachineScaleSetsClient
	VMs             *armcompute.VirtualMachinesClient
	RollingUpgrades *armcompute.VirtualMachineScaleSetRollingUpgradesClient
	LoadBalancers   *armnetwork.LoadBalancersClient
	LBRules         *armnetwork.LoadBalancerLoadBalancingRulesClient
	Autoscale       *armmonitor.AutoscaleSettingsClient
	ActivityLogs    *armmonitor.ActivityLogsClient
}

// NewClients builds the clients of sess.
func NewClients(sess *Session) (*Clients, error) {
	opts := sess.armOptions()
	var errs []error
	c := &Clients{}
	var err error
	c.ScaleSets, err = armcompute.NewVirtualMachineScaleSetsClient(sess.SubscriptionID, sess.Credential, opts)
	errs = append(errs, err)
	c.VMs, err = armcompute.NewVirtualMachinesClient(sess.SubscriptionID, sess.Credential, opts)
	errs = append(errs, err)
	c.RollingUpgrades, err = armcompute.NewVirtualMachineScaleSetRollingUpgradesClient(sess.SubscriptionID, sess.Credential, opts)
	errs = append(errs, err)
	c.LoadBalancers, err = armnetwork.NewLoadBalancersClient(sess.SubscriptionID, sess.Credential, opts)
	errs = append(errs, err)
	c.LBRules, err = armnetwork.NewLoadBalancerLoadBalancingRulesClient(sess.SubscriptionID, sess.Credential, opts)
	errs = append(errs, err)
	c.Autoscale, err = armmonitor.NewAutoscaleSettingsClient(sess.SubscriptionID, sess.Credential, opts)
	errs = append(errs, err)
	c.ActivityLogs, err = armmonitor.NewActivityLogsClient(sess.SubscriptionID, sess.Credential, opts)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("building the Azure Resource Manager clients: %w", err)
	}
	return c, nil
}

// isNotFound recognises Resource Manager's 404 (ResourceNotFound, ResourceGroupNotFound …).
func isNotFound(err error) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && re.StatusCode == http.StatusNotFound
}

// errorCode is Resource Manager's error code ("" for other errors).
func errorCode(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}
