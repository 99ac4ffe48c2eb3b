// Package gcpfake is a stateful, strict fake of the Compute Engine v1 REST API subset the Google
// Cloud backend uses: regional instance templates, health checks, backend services, autoscalers
// and managed instance groups (with resize, setInstanceTemplate and listManagedInstances), the
// zonal instances of those groups (get, list, delete), and regional operations (get, wait).
//
// Strict means it refuses what the API refuses: requests without a bearer token, unknown fields
// and query parameters, enum values and patterns the discovery document (compute-api.json, read
// from the module cache) does not allow, names that are taken, references to objects that do not
// exist or are in another region, objects still in use, filters on fields the resource does not
// have. Mutations answer with an operation that is DONE after a delay; groups create, heal and
// replace instances over time (PROACTIVE rollouts bounded by maxSurge / maxUnavailable,
// auto-healing after initialDelaySec), so a client sees what it would see in the cloud.
//
// Billing (billing.go) is the same kind of fake for the Cloud Billing Budget API and Cloud
// Monitoring's notification channels, which the Google Cloud dspy_budget will use.
package gcpfake
