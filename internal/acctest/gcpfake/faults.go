package gcpfake

import "cloud.google.com/go/compute/apiv1/computepb"

// UnhealthyMetadataKey is the instance-template metadata key that, with the value "true", makes
// every instance created from the template fail its health checks forever.
const UnhealthyMetadataKey = "dspy-fake-unhealthy"

// FailNext makes the next request to method (e.g. "regionInstanceTemplates.insert",
// "regionOperations.get") fail synchronously with HTTP status code and Google's error JSON. Calls
// queue up: two calls fail the next two requests.
func (f *Fake) FailNext(method string, code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.syncFaults[method] = append(f.syncFaults[method], code)
}

// FailNextOperation makes the next accepted mutation of method return an Operation that ends DONE
// with error.errors[] and httpErrorStatusCode = code, and without any effect (an insert leaves
// nothing behind).
func (f *Fake) FailNextOperation(method string, code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opFaults[method] = append(f.opFaults[method], code)
}

// FailNextInsert is FailNextOperation(resource+".insert", code); resource is a collection such as
// "regionInstanceTemplates", "regionInstanceGroupManagers", "regionHealthChecks",
// "regionBackendServices", "regionAutoscalers" or "resourcePolicies".
func (f *Fake) FailNextInsert(resource string, code int) {
	f.FailNextOperation(resource+".insert", code)
}

// SetUnhealthyTemplate makes instances created from now on from any instance template called name
// (in any project and region) fail their health checks forever, like the metadata key
// UnhealthyMetadataKey.
func (f *Fake) SetUnhealthyTemplate(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.unhealthy[name] = true
}

// SetUnhealthyWhen makes instances created from now on from any instance template for which
// broken returns true fail their health checks forever: a test says what a broken release looks
// like (an image tag in the start-up) without knowing the template's name.
func (f *Fake) SetUnhealthyWhen(broken func(*computepb.InstanceTemplate) bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.unhealthyIf = append(f.unhealthyIf, broken)
}

// takeFault pops the next queued fault of method from faults; ok is false when none is queued.
func takeFault(faults map[string][]int, method string) (int, bool) {
	q := faults[method]
	if len(q) == 0 {
		return 0, false
	}
	if len(q) == 1 {
		delete(faults, method)
	} else {
		faults[method] = q[1:]
	}
	return q[0], true
}
