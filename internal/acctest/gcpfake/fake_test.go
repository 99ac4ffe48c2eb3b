package gcpfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// call sends one request and returns the status and the decoded answer.
func call(t *testing.T, f *Fake, method, path, body string, auth bool) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, f.URL()+"/compute/v1/projects/acme-prod/regions/us-central1/"+path, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth {
		req.Header.Set("Authorization", "Bearer t")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

const template = `{"name":"t1","properties":{"machineType":"n2-standard-2","labels":{"dspy-service":"s1"},
  "disks":[{"boot":true,"autoDelete":true,"initializeParams":{"sourceImage":"projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64","diskSizeGb":"20"}}],
  "networkInterfaces":[{"network":"global/networks/default"}]}}`

func waitDone(t *testing.T, f *Fake, op map[string]any) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		_, got := call(t, f, http.MethodGet, "operations/"+op["name"].(string), "", true)
		if got["status"] == "DONE" {
			if got["error"] != nil {
				t.Fatalf("operation failed: %v", got["error"])
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("operation never DONE")
}

// TestFake_refusesWhatTheAPIRefuses shows the fake is strict: each wrong request is refused with
// the API's status, and nothing is created by it.
func TestFake_refusesWhatTheAPIRefuses(t *testing.T) {
	t.Parallel()
	f := Start(t)
	if code, _ := call(t, f, http.MethodGet, "instanceTemplates", "", false); code != http.StatusUnauthorized {
		t.Errorf("a call without a token: %d, want 401", code)
	}
	code, op := call(t, f, http.MethodPost, "instanceTemplates", template, true)
	if code != http.StatusOK {
		t.Fatalf("insert template: %d %v", code, op)
	}
	waitDone(t, f, op)
	group := `{"name":"g1","baseInstanceName":"g1","targetSize":1,"instanceTemplate":"projects/acme-prod/regions/us-central1/instanceTemplates/%s"%s}`
	cases := []struct {
		what, method, path, body string
		code                     int
	}{
		{"unknown field", http.MethodPost, "healthChecks", `{"name":"h1","type":"HTTP","httpHealthCheck":{"port":80},"colour":"red"}`, 400},
		{"bad enum", http.MethodPost, "healthChecks", `{"name":"h1","type":"HTTPX"}`, 400},
		{"bad name", http.MethodPost, "healthChecks", `{"name":"H_1","type":"HTTP","httpHealthCheck":{"port":80}}`, 400},
		{"duplicate", http.MethodPost, "instanceTemplates", template, 409},
		{"missing template", http.MethodPost, "instanceGroupManagers", strings.Replace(strings.Replace(group, "%s", "nope", 1), "%s", "", 1), 404},
		{"template of another region", http.MethodPost, "instanceGroupManagers",
			strings.Replace(strings.Replace(group, "regions/us-central1/instanceTemplates/%s", "regions/us-east1/instanceTemplates/t1", 1), "%s", "", 1), 400},
		{"zone outside the region", http.MethodPost, "instanceGroupManagers",
			strings.Replace(strings.Replace(group, "%s", "t1", 1), "%s", `,"distributionPolicy":{"zones":[{"zone":"zones/us-east1-b"}]}`, 1), 400},
		{"fixed surge below the zones", http.MethodPost, "instanceGroupManagers",
			strings.Replace(strings.Replace(group, "%s", "t1", 1), "%s", `,"updatePolicy":{"type":"PROACTIVE","maxSurge":{"fixed":1}}`, 1), 400},
		{"filter on an unknown field", http.MethodGet, "instanceTemplates?filter=" + "labels.dspy-service%20%3D%20%22s1%22", "", 400},
		{"unknown query parameter", http.MethodGet, "instanceTemplates?colour=red", "", 400},
		{"two snapshot cycles", http.MethodPost, "resourcePolicies", `{"name":"p1","snapshotSchedulePolicy":{"schedule":{"dailySchedule":{"daysInCycle":1,"startTime":"03:00"},
		  "hourlySchedule":{"hoursInCycle":4,"startTime":"00:00"}},"retentionPolicy":{"maxRetentionDays":7}}}`, 400},
		{"snapshot off the hour", http.MethodPost, "resourcePolicies", `{"name":"p1","snapshotSchedulePolicy":{"schedule":{"dailySchedule":{"daysInCycle":1,"startTime":"03:30"}},
		  "retentionPolicy":{"maxRetentionDays":7}}}`, 400},
		{"template with a missing policy", http.MethodPost, "instanceTemplates", strings.Replace(strings.Replace(template, `"name":"t1"`, `"name":"t2"`, 1),
			`"diskSizeGb":"20"`, `"diskSizeGb":"20","resourcePolicies":["projects/acme-prod/regions/us-central1/resourcePolicies/nope"]`, 1), 404},
	}
	for _, tc := range cases {
		if code, body := call(t, f, tc.method, tc.path, tc.body, true); code != tc.code {
			t.Errorf("%s: %d %v, want %d", tc.what, code, body, tc.code)
		}
	}
	if n := len(f.Objects()); n != 1 {
		t.Errorf("refused requests left %d objects, want the one template", n)
	}
	// The right filter finds the template; a template in use cannot be deleted.
	_, list := call(t, f, http.MethodGet, "instanceTemplates?filter="+"properties.labels.dspy-service%20%3D%20%22s1%22", "", true)
	if items, _ := list["items"].([]any); len(items) != 1 {
		t.Errorf("filtered list: %v", list)
	}
	code, op = call(t, f, http.MethodPost, "instanceGroupManagers", strings.Replace(strings.Replace(group, "%s", "t1", 1), "%s", "", 1), true)
	if code != http.StatusOK {
		t.Fatalf("insert group: %d %v", code, op)
	}
	waitDone(t, f, op)
	if code, body := call(t, f, http.MethodDelete, "instanceTemplates/t1", "", true); code != http.StatusBadRequest {
		t.Errorf("deleting a template in use: %d %v, want 400", code, body)
	}
}
