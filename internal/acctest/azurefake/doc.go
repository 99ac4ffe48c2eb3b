// Package azurefake is a strict, stateful fake of the Azure Resource Manager REST API the provider
// calls, served over TLS as ARM is (the test bed trusts httptest's certificate through
// SSL_CERT_FILE), with a Microsoft Entra ID token endpoint for a client-secret service principal.
//
// It is faithful to the published REST API rather than an echo store: every request needs a known
// api-version for its resource type; resource ids are case-insensitive; bodies are decoded into the
// SDK's model types, and a property the model does not have or an enum value outside the SDK's
// generated Possible…Values() is the 400 ARM answers; missing objects are ARM's 404 error JSON;
// PUT and DELETE of long-running resources answer 201/202 with Azure-AsyncOperation, whose status
// moves InProgress → Succeeded (or Failed) by elapsed time, never by the number of polls.
//
// It serves:
//   - resource groups (groups.go) and tags at scope (tags.go);
//   - Flexible scale sets and their virtual machines (scalesets.go);
//   - model generations, rolling upgrades and instance views (upgrades.go);
//   - each machine's userData, from its generation's VM profile, only on GET with $expand=userData;
//   - user-assigned managed identities, and the identities of scale sets (identities.go);
//   - virtual networks, subnets and load balancers (network.go), a rule's backend health (lbhealth.go);
//   - autoscale settings (autoscale*.go), action groups and metric alerts;
//   - the activity log (activity.go) and budgets (budgets.go);
//   - Recovery Services vaults, backup policies and VM protection (vaults.go, backup_*.go).
package azurefake
