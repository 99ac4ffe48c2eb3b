package spec

import (
	"reflect"
	"testing"
)

func TestEncodeService_roundTrip(t *testing.T) {
	t.Parallel()
	s := validAWSService()
	s.LM.Temperature = ptr(0.2)
	enc, err := EncodeService(&s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeService(enc)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&s, back) {
		t.Errorf("round trip changed the service:\n%+v\n%+v", s, *back)
	}
	if _, err := DecodeService("not base64!"); err == nil {
		t.Error("garbage decoded")
	}
}
