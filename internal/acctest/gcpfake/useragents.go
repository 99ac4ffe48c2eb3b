package gcpfake

// UserAgents are the distinct User-Agent headers of the requests the Fake has served, sorted.
func (f *Fake) UserAgents() []string { return f.agents.Sorted() }

// UserAgents are the distinct User-Agent headers of the requests the Billing fake has served, sorted.
func (b *Billing) UserAgents() []string { return b.agents.Sorted() }
