package gcp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/api/googleapi"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// DefaultEndpoint is the Compute Engine API's endpoint when gcp.endpoints.compute is not set.
const DefaultEndpoint = "https://compute.googleapis.com"

// patchJSON sends a JSON merge patch (RFC 7386) to a Compute Engine object and returns its
// operation. The typed clients encode requests with protojson, which never writes an empty list
// or a null map entry, and a merge patch needs both: to clear a group's auto-healing policies and
// to drop a label. path is relative to /compute/v1/.
func (c *Compute) patchJSON(ctx context.Context, path string, body map[string]any) (*computepb.Operation, error) {
	buf, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encoding the patch of %s: %w", path, err)
	}
	u := strings.TrimRight(c.endpoint, "/") + "/compute/v1/" + path
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, u, bytes.NewReader(buf))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("patching %s: %w", path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if err := googleapi.CheckResponse(resp); err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading the answer to the patch of %s: %w", path, err)
	}
	op := &computepb.Operation{}
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(raw, op); err != nil {
		return nil, fmt.Errorf("decoding the operation the patch of %s answered: %w", path, err)
	}
	return op, nil
}

// jsonOf is a message as the REST API's JSON, for a hand-built patch.
func jsonOf(m proto.Message) any {
	buf, err := protojson.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("encoding %T: %v", m, err)) // every message here is built by this package
	}
	var v any
	if err := json.Unmarshal(buf, &v); err != nil {
		panic(fmt.Sprintf("decoding %T: %v", m, err))
	}
	return v
}
