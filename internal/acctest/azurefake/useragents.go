package azurefake

// UserAgents are the distinct User-Agent headers of the requests the Fake has served (the token
// endpoint's included), sorted.
func (f *Fake) UserAgents() []string { return f.agents.Sorted() }
