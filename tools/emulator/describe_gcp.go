package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest/gcpfake"
)

// describeGCP prints a Google Cloud service's group, template, autoscaler and instances.
func describeGCP(id string) error {
	parts := strings.Split(id, "/")
	if len(parts) != 4 || parts[0] != "gcp" {
		return fmt.Errorf("%q is not gcp/PROJECT/REGION/NAME", id)
	}
	project, region, name := parts[1], parts[2], parts[3]
	ep := os.Getenv("GOOGLE_COMPUTE_CUSTOM_ENDPOINT")
	if ep == "" {
		return errors.New("GOOGLE_COMPUTE_CUSTOM_ENDPOINT is not set")
	}
	ctx := context.Background()
	opts := []option.ClientOption{option.WithEndpoint(ep), option.WithHTTPClient(gcpfake.Client())}
	groups, err := compute.NewRegionInstanceGroupManagersRESTClient(ctx, opts...)
	if err != nil {
		return err
	}
	g, err := groups.Get(ctx, &computepb.GetRegionInstanceGroupManagerRequest{Project: project, Region: region, InstanceGroupManager: name})
	if err != nil {
		fmt.Printf("  group %s: none (%v)\n", name, err)
		return nil //nolint:nilerr // a destroyed service is what describe reports after destroy
	}
	tmpl := g.GetInstanceTemplate()[strings.LastIndex(g.GetInstanceTemplate(), "/")+1:]
	fmt.Printf("  managed instance group %s: target size %d, stable %t, version target reached %t, template %s\n", name, g.GetTargetSize(),
		g.GetStatus().GetIsStable(), g.GetStatus().GetVersionTarget().GetIsReached(), tmpl)
	autoscalers, err := compute.NewRegionAutoscalersRESTClient(ctx, opts...)
	if err != nil {
		return err
	}
	if as, err := autoscalers.Get(ctx, &computepb.GetRegionAutoscalerRequest{Project: project, Region: region, Autoscaler: name}); err == nil {
		p := as.GetAutoscalingPolicy()
		fmt.Printf("  autoscaler %s: mode %s, min %d, max %d\n", name, p.GetMode(), p.GetMinNumReplicas(), p.GetMaxNumReplicas())
	}
	it := groups.ListManagedInstances(ctx, &computepb.ListManagedInstancesRegionInstanceGroupManagersRequest{Project: project, Region: region, InstanceGroupManager: name})
	for {
		mi, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return nil
		}
		if err != nil {
			return err
		}
		health := "-"
		for _, h := range mi.GetInstanceHealth() {
			health = h.GetDetailedHealthState()
		}
		inst := mi.GetInstance()[strings.Index(mi.GetInstance(), "/zones/")+len("/zones/"):]
		v := mi.GetVersion().GetInstanceTemplate()
		fmt.Printf("  instance %s  %-8s %-8s %-9s template %s\n", strings.Replace(inst, "/instances/", "  ", 1), mi.GetInstanceStatus(), mi.GetCurrentAction(), health, v[strings.LastIndex(v, "/")+1:])
	}
}
