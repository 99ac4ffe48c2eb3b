package gcpfake

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error reasons used by the Compute Engine API (the "reason" of an entry in error.errors[]).
const (
	reasonInvalid       = "invalid"
	reasonRequired      = "required"
	reasonNotFound      = "notFound"
	reasonAlreadyExists = "alreadyExists"
	reasonInUse         = "resourceInUseByAnotherResource"
	reasonNotReady      = "resourceNotReady"
	reasonConditionNot  = "conditionNotMet"
	reasonNotImpl       = "notImplemented"
	reasonBackendError  = "backendError"
)

// apiError is an error answered synchronously, encoded the way Google APIs encode errors:
// {"error":{"code":C,"message":M,"errors":[{"message":M,"domain":"global","reason":R}]}}.
type apiError struct {
	code    int
	reason  string
	message string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.code, e.reason, e.message)
}

func errorf(code int, reason, format string, args ...any) *apiError {
	return &apiError{code: code, reason: reason, message: fmt.Sprintf(format, args...)}
}

func invalidf(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, reasonInvalid, format, args...)
}

func invalidField(field string, value any, why string) *apiError {
	return invalidf("Invalid value for field '%s': '%v'. %s", field, value, why)
}

func requiredField(field string) *apiError {
	return errorf(http.StatusBadRequest, reasonRequired, "Required field '%s' not specified", field)
}

func notFound(path string) *apiError {
	return errorf(http.StatusNotFound, reasonNotFound, "The resource '%s' was not found", path)
}

func alreadyExists(path string) *apiError {
	return errorf(http.StatusConflict, reasonAlreadyExists, "The resource '%s' already exists", path)
}

func inUse(path, by string) *apiError {
	return errorf(http.StatusBadRequest, reasonInUse,
		"The resource '%s' is already being used by '%s'", path, by)
}

func notReady(path string) *apiError {
	return errorf(http.StatusBadRequest, reasonNotReady,
		"The resource '%s' is not ready", path)
}

type errorBody struct {
	Error errorPayload `json:"error"`
}

type errorPayload struct {
	Code    int          `json:"code"`
	Message string       `json:"message"`
	Errors  []errorEntry `json:"errors"`
}

type errorEntry struct {
	Message string `json:"message"`
	Domain  string `json:"domain"`
	Reason  string `json:"reason"`
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := errorBody{Error: errorPayload{
		Code:    e.code,
		Message: e.message,
		Errors:  []errorEntry{{Message: e.message, Domain: "global", Reason: e.reason}},
	}}
	buf, err := json.Marshal(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(e.code)
	_, _ = w.Write(buf)
}

// reasonForCode picks the reason the API uses for an injected failure with this HTTP status.
func reasonForCode(code int) string {
	switch code {
	case http.StatusNotFound:
		return reasonNotFound
	case http.StatusConflict:
		return reasonAlreadyExists
	case http.StatusPreconditionFailed:
		return reasonConditionNot
	case http.StatusForbidden:
		return "quotaExceeded"
	case http.StatusTooManyRequests:
		return "rateLimitExceeded"
	case http.StatusBadRequest:
		return reasonInvalid
	default:
		return reasonBackendError
	}
}

// operationErrorCode is the upper-case code the API places in an Operation's error.errors[].code.
func operationErrorCode(code int) string {
	switch code {
	case http.StatusNotFound:
		return "RESOURCE_NOT_FOUND"
	case http.StatusConflict:
		return "RESOURCE_ALREADY_EXISTS"
	case http.StatusPreconditionFailed:
		return "CONDITION_NOT_MET"
	case http.StatusForbidden:
		return "QUOTA_EXCEEDED"
	case http.StatusTooManyRequests:
		return "RATE_LIMIT_EXCEEDED"
	case http.StatusBadRequest:
		return "INVALID_USAGE"
	case http.StatusServiceUnavailable:
		return "ZONE_RESOURCE_POOL_EXHAUSTED"
	default:
		return "INTERNAL_ERROR"
	}
}
