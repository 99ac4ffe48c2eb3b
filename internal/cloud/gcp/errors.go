package gcp

import (
	"errors"
	"net/http"

	"google.golang.org/api/googleapi"
)

// httpCode is the HTTP status of a Compute Engine error answered at once, 0 for any other error.
func httpCode(err error) int {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	return 0
}

// isNotFound recognises a 404 from the API, or an operation that failed because its target is gone.
func isNotFound(err error) bool {
	var oe *OperationError
	if errors.As(err, &oe) {
		return oe.Code() == "RESOURCE_NOT_FOUND" || oe.HTTPStatus == http.StatusNotFound
	}
	return httpCode(err) == http.StatusNotFound
}

// isAlreadyExists recognises a name already used in the project and region, answered at once (409)
// or by the operation.
func isAlreadyExists(err error) bool {
	var oe *OperationError
	if errors.As(err, &oe) {
		return oe.Code() == "RESOURCE_ALREADY_EXISTS" || oe.HTTPStatus == http.StatusConflict
	}
	return httpCode(err) == http.StatusConflict
}
