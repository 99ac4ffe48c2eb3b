package spec

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
)

// EncodeService serialises a service (as configured: references, never secret values) compactly, so
// a backend can keep it beside the cloud objects and an import can restore the configuration exactly.
func EncodeService(s *Service) (string, error) { return Encode(s) }

// DecodeService reverses EncodeService.
func DecodeService(enc string) (*Service, error) {
	var s Service
	if err := Decode(enc, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// Encode serialises any spec value as gzip-compressed JSON in base64.
func Encode(v any) (string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(raw); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// Decode reverses Encode into v.
func Decode(enc string, v any) error {
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return fmt.Errorf("decoding the stored configuration: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("decoding the stored configuration: %w", err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, 1<<20))
	if err != nil {
		return fmt.Errorf("decoding the stored configuration: %w", err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decoding the stored configuration: %w", err)
	}
	return nil
}
