package cost

import (
	"fmt"

	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// ALB capacity units: one LCU covers 25 new connections a second (AWS's smallest LCU dimension for
// short requests). The estimate counts one new connection per request, the upper bound for clients
// that do not keep connections alive.
const newConnectionsPerLCU = 25

// dspyMetrics are the custom metrics every service publishes (namespace DSPy, dimension service).
var dspyMetrics = []string{spec.MetricTokensPerMinute, spec.MetricLMCallsPerMinute, spec.MetricCacheHit}

// awsLive says where an AWS platform price the catalog lacks can be read: the catalog has the ALB
// and CloudWatch in us-east-1 only, from sources that list no other region.
const awsLive = "; pricing { source = \"live\" } reads it from the AWS Price List in any region"

// loadBalancer prices the service's load balancer: on AWS the Application Load Balancer's hours and
// the capacity units the traffic needs, on Google Cloud the hours of the global forwarding rule in
// front of the backend service (an external Application Load Balancer; one rule, so the first-five
// rate), on Azure a Standard Load Balancer's hours.
func (r *Report) loadBalancer(cat *pricing.Catalog, cloud, region string, svc *spec.Service, u Usage, hours float64) {
	if svc.LoadBalancing == nil {
		return
	}
	before := len(r.Breakdown)
	switch spec.Cloud(cloud) {
	case spec.AWS:
		hour, err := cat.Charge(cloud, region, "alb-hour")
		if err != nil {
			r.Unpriced = append(r.Unpriced, "the load balancer is not priced: "+err.Error()+awsLive)
			return
		}
		r.add(Line{Item: "Application Load Balancer", Quantity: hours, Unit: hour.Unit, UnitPrice: hour.Price}.from(hour.Sourced))
		if lcu, err := cat.Charge(cloud, region, "alb-lcu-hour"); err == nil && u.RequestsPerDay > 0 {
			// An hour's LCUs are its largest dimension: new connections, or processed bytes.
			perSecond := u.RequestsPerDay / 86400
			lcus, item := perSecond/newConnectionsPerLCU, "ALB capacity units (new connections)"
			if gb := processedGiB(u, 1); gb > lcus {
				lcus, item = gb, "ALB capacity units (processed bytes)"
			}
			r.add(Line{Item: item, Quantity: lcus * hours, Unit: lcu.Unit, UnitPrice: lcu.Price}.from(lcu.Sourced))
		}
	case spec.GCP:
		rule, err := cat.Charge(cloud, region, "forwarding-rule-hour")
		if err != nil {
			r.Unpriced = append(r.Unpriced, "the load balancer is not priced: "+err.Error())
			return
		}
		r.add(Line{Item: "global forwarding rule", Quantity: hours, Unit: rule.Unit, UnitPrice: rule.Price}.from(rule.Sourced))
		r.Unpriced = append(r.Unpriced, "data processed by the Google Cloud load balancer is not priced: the catalog has no sourced price for it")
	case spec.Azure:
		// A Standard Load Balancer: one global meter covers its first five rules.
		rules, err := cat.Charge(cloud, region, "lb-rules-hour")
		if err != nil {
			r.Unpriced = append(r.Unpriced, "the load balancer is not priced: the catalog has no sourced azure load-balancer price; pricing { source = \"live\" } reads it from the Retail Prices API")
			return
		}
		r.add(Line{Item: "Standard Load Balancer (first 5 rules)", Quantity: hours, Unit: rules.Unit, UnitPrice: rules.Price}.from(rules.Sourced))
		switch data, err := cat.Charge(cloud, region, "lb-data-processed-gb"); {
		case u.RequestsPerDay == 0:
		case u.KiBPerRequest == 0:
			r.Unpriced = append(r.Unpriced, "data processed by the Azure load balancer is not priced: give kib_per_request, the KiB a request and its response carry")
		case err != nil:
			r.Unpriced = append(r.Unpriced, "data processed by the Azure load balancer is not priced: "+err.Error()+"; pricing { source = \"live\" } reads it from the Retail Prices API")
		default:
			r.add(Line{Item: "Standard Load Balancer data processed", Quantity: processedGiB(u, hours), Unit: data.Unit, UnitPrice: data.Price}.from(data.Sourced))
		}
	default:
		r.Unpriced = append(r.Unpriced, fmt.Sprintf("the load balancer is not priced: the catalog has no sourced %s load-balancer price", cloud))
		return
	}
	for _, l := range r.Breakdown[before:] {
		r.LoadBalancer += l.Monthly
	}
}

// processedGiB is the data the load balancer processes in hours: each request and its response
// carry u.KiBPerRequest together (the clouds bill data processed in GB of 2^30 bytes).
func processedGiB(u Usage, hours float64) float64 {
	return u.RequestsPerDay / 24 * hours * u.KiBPerRequest / (1024 * 1024)
}

// monitoring prices the custom metrics the service publishes: on AWS per metric-month, on Google
// Cloud per MiB ingested.
func (r *Report) monitoring(cat *pricing.Catalog, cloud, region string, instances int64, hours float64) {
	switch spec.Cloud(cloud) {
	case spec.AWS:
		r.cloudWatch(cat, region, instances, hours)
	case spec.GCP:
		r.cloudMonitoring(cat, region, instances, hours)
	case spec.Azure:
		r.azureMonitor(cat, region, instances, hours)
	default:
		r.Unpriced = append(r.Unpriced, fmt.Sprintf("custom metrics are not priced: the catalog has no sourced %s monitoring price", cloud))
	}
}

// cloudWatch prices the three DSPy metrics, and the CloudWatch agent's mem_used_percent once per
// instance (it carries the host) and once aggregated by group.
func (r *Report) cloudWatch(cat *pricing.Catalog, region string, instances int64, hours float64) {
	m, err := cat.Charge(string(spec.AWS), region, "custom-metric-month")
	if err != nil {
		r.Unpriced = append(r.Unpriced, "custom metrics are not priced: "+err.Error()+awsLive)
		return
	}
	metrics := float64(len(dspyMetrics)) + float64(instances) + 1
	r.add(Line{Item: "CloudWatch custom metrics",
		Quantity: metrics * hours / 730, Unit: m.Unit, UnitPrice: m.Price}.from(m.Sourced))
	r.Monitoring = r.Breakdown[len(r.Breakdown)-1].Monthly
	r.Unpriced = append(r.Unpriced, "the CloudWatch alarms target-tracking scaling policies make are not counted (AWS makes and prices them per policy); a token budget's alarm is, with the budget block")
}

// Cloud Monitoring bills user-defined and agent metrics by the bytes ingested, counting each scalar
// point as 8 bytes. The service writes one point a minute on each time series. The first 150 MiB a
// month of each billing account are free; the estimate does not deduct them, because every other
// workload on the account shares them.
const (
	bytesPerPoint = 8
	pointsPerHour = 60
	bytesPerMiB   = 1 << 20
)

// cloudMonitoring prices the three DSPy metrics and the memory utilisation each instance reports (the
// memory scaling metric) as Cloud Monitoring ingestion.
func (r *Report) cloudMonitoring(cat *pricing.Catalog, region string, instances int64, hours float64) {
	m, err := cat.Charge(string(spec.GCP), region, "monitoring-mib")
	if err != nil {
		r.Unpriced = append(r.Unpriced, "custom metrics are not priced: "+err.Error())
		return
	}
	series := float64(len(dspyMetrics)) + float64(instances)
	mib := series * hours * pointsPerHour * bytesPerPoint / bytesPerMiB
	r.add(Line{Item: "Cloud Monitoring metric ingestion", Quantity: mib, Unit: m.Unit, UnitPrice: m.Price}.from(m.Sourced))
	r.Monitoring = r.Breakdown[len(r.Breakdown)-1].Monthly
}

// azureMonitor prices the three DSPy metrics as Azure Monitor custom-metric samples: each instance
// posts one sample a minute on each (the autoscale rules' host metrics are platform metrics, free).
func (r *Report) azureMonitor(cat *pricing.Catalog, region string, instances int64, hours float64) {
	m, err := cat.Charge(string(spec.Azure), region, "monitor-custom-metric-samples-10m")
	if err != nil {
		r.Unpriced = append(r.Unpriced, "custom metrics are not priced: "+err.Error())
		return
	}
	samples := float64(len(dspyMetrics)*int(instances)) * 60 * hours
	r.add(Line{Item: "Azure Monitor custom metric samples", Quantity: samples / 1e7, Unit: m.Unit, UnitPrice: m.Price}.from(m.Sourced))
	r.Monitoring = r.Breakdown[len(r.Breakdown)-1].Monthly
}
