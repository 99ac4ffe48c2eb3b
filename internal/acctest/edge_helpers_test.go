package acctest

import "testing"

// startEdge starts moto and an edge proxy in front of it for one test, and stops both after it.
func startEdge(t *testing.T) *Proxy {
	t.Helper()
	if _, err := pythonWithMoto(); err != nil {
		t.Fatal(err)
	}
	moto, err := StartMoto()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(moto.Stop)
	p, err := StartProxy(moto.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	return p
}
