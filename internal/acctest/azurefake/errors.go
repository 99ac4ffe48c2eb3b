package azurefake

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// armError is an error as Resource Manager encodes it: {"error":{"code":C,"message":M}}.
type armError struct {
	status  int
	code    string
	message string
}

func (e *armError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message) }

func errorf(status int, code, format string, args ...any) *armError {
	return &armError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

func invalidParameter(target, format string, args ...any) *armError {
	return errorf(http.StatusBadRequest, "InvalidParameter", "The value of parameter %s is invalid. %s", target, fmt.Sprintf(format, args...))
}

func writeError(w http.ResponseWriter, e *armError) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("x-ms-error-code", e.code)
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": e.code, "message": e.message}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}
