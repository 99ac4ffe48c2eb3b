// Package cloud holds what the provider needs from every cloud: typed errors, and (as backends land)
// the interfaces each cloud implements with the shared find → status → wait poller.
package cloud

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// ErrNotFound says the object is gone; Read removes the resource from state instead of failing.
var ErrNotFound = errors.New("not found")

// NotAvailableError says a resource type has no backend on a cloud in this version.
type NotAvailableError struct {
	Resource string
	Cloud    spec.Cloud
}

func (e *NotAvailableError) Error() string {
	return fmt.Sprintf("%s on %s is not available in this version", e.Resource, e.Cloud)
}

// ConfigError is a credential or configuration problem: which cloud, what was tried, and what fixes it.
type ConfigError struct {
	Cloud spec.Cloud
	// Problem is one sentence on what is wrong.
	Problem string
	// Tried lists the sources consulted, in order.
	Tried []string
	// Fix lists the attributes or environment variables that would fix it.
	Fix []string
	// Err is the underlying SDK error, if any.
	Err error
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString(e.Problem)
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if len(e.Tried) > 0 {
		b.WriteString("\n\nTried, in order:\n  - " + strings.Join(e.Tried, "\n  - "))
	}
	if len(e.Fix) > 0 {
		b.WriteString("\n\nTo fix it, set one of:\n  - " + strings.Join(e.Fix, "\n  - "))
	}
	return b.String()
}

func (e *ConfigError) Unwrap() error { return e.Err }

// UnknownInstanceTypesError names the instance types a cloud does not offer in a region: the
// configuration is wrong. Any other error of a check means it could not be made.
type UnknownInstanceTypesError struct {
	// Offerer is who offers the types ("EC2", "Compute Engine").
	Offerer string
	Region  string
	// Types are the unknown types, in the order given.
	Types []string
	// Suggestions maps an unknown type to the offered type most likely meant, where there is one.
	Suggestions map[string]string
	// ListHint is a command that lists the types offered in the region.
	ListHint string
}

func (e *UnknownInstanceTypesError) Error() string {
	parts := make([]string, len(e.Types))
	for i, t := range e.Types {
		parts[i] = fmt.Sprintf("%q", t)
		if s, ok := e.Suggestions[t]; ok {
			parts[i] += fmt.Sprintf(" (did you mean %q?)", s)
		}
	}
	noun := "instance type"
	if len(parts) > 1 {
		noun = "instance types"
	}
	return fmt.Sprintf("%s does not offer %s %s in %s", e.Offerer, noun, strings.Join(parts, ", "), e.Region)
}

// ActualsUnavailableError says a cloud has no API that returns a service's billed costs, and where
// they can be found instead.
type ActualsUnavailableError struct {
	Cloud spec.Cloud
	// Detail says where the costs are and what to use instead.
	Detail string
}

func (e *ActualsUnavailableError) Error() string { return e.Detail }
