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
package azurefake
