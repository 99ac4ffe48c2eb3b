package acctest

import (
	"time"
)

// limits is AWS's request-rate throttling: a token bucket per API action (per account and region in
// AWS; one test's front is one account here). A call that finds its bucket empty is refused with the
// service's throttling error, as AWS refuses it, and is counted.
type limits struct {
	rate    float64 // tokens per second
	burst   float64
	buckets map[string]*bucket
	refused int
}

type bucket struct {
	tokens float64
	last   time.Time
}

// Throttle makes the front refuse calls above rate per second per API action (with bursts up to
// burst), with each service's own throttling error.
func (f *Front) Throttle(rate float64, burst int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limits = &limits{rate: rate, burst: float64(burst), buckets: map[string]*bucket{}}
}

// Throttled counts the calls refused for their rate so far.
func (f *Front) Throttled() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.limits == nil {
		return 0
	}
	return f.limits.refused
}

func (l *limits) take(service, action string, now time.Time) *Fault {
	key := service + ":" + action
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return nil
	}
	l.refused++
	return throttlingFault(service)
}

// throttlingFault is the error each service answers a call over its rate with.
func throttlingFault(service string) *Fault {
	switch service {
	case "ec2":
		return &Fault{Status: 503, Code: "RequestLimitExceeded", Message: "Request limit exceeded."}
	case "budgets", "ssm", "backup", "pricing", "ce", "secretsmanager":
		return &Fault{Status: 400, Code: "ThrottlingException", Message: "Rate exceeded"}
	}
	return &Fault{Status: 400, Code: "Throttling", Message: "Rate exceeded"}
}
