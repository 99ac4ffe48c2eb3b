package gcpfake

import "time"

// config holds the knobs of one Fake. Every knob is per Fake; there is no package-level state
// except the parsed discovery document, which is read-only.
type config struct {
	opPending     time.Duration // an operation is PENDING for this long after insertTime
	opDone        time.Duration // an operation is DONE this long after insertTime
	boot          time.Duration // a managed instance is RUNNING this long after its (re)creation starts
	healthDelay   time.Duration // a running instance reports HEALTHY this long after RUNNING
	deleteTime    time.Duration // a managed instance disappears this long after its deletion starts
	second        time.Duration // the length of one API second (initialDelaySec ...)
	waitTimeout   time.Duration // regionOperations.wait returns after at most this long
	seed          int64
	discoveryFile string
	linkBase      string
	now           func() time.Time
}

func defaultConfig() config {
	return config{
		opPending:   50 * time.Millisecond,
		opDone:      150 * time.Millisecond,
		boot:        200 * time.Millisecond,
		healthDelay: 50 * time.Millisecond,
		deleteTime:  50 * time.Millisecond,
		second:      time.Millisecond,
		waitTimeout: 2 * time.Minute,
		seed:        1,
		linkBase:    "https://www.googleapis.com/compute/v1/",
		now:         time.Now,
	}
}

// Option configures a Fake.
type Option func(*config)

// WithOperationTiming sets how long after insertion an operation leaves PENDING (pending) and
// becomes DONE (done). done is raised to pending when smaller. Defaults: 50ms, 150ms.
func WithOperationTiming(pending, done time.Duration) Option {
	return func(c *config) {
		c.opPending = max(pending, 0)
		c.opDone = max(done, c.opPending)
	}
}

// WithBootTime sets how long a managed instance takes from the start of its (re)creation until it
// is RUNNING (PROVISIONING for the first half, STAGING for the second). Minimum 1ms; default 200ms.
func WithBootTime(d time.Duration) Option {
	return func(c *config) { c.boot = max(d, time.Millisecond) }
}

// WithHealthDelay sets how long after RUNNING an instance of a healthy template starts answering
// health checks (HEALTHY). Minimum 1ms; default 50ms.
func WithHealthDelay(d time.Duration) Option {
	return func(c *config) { c.healthDelay = max(d, time.Millisecond) }
}

// WithDeleteTime sets how long a managed instance stays STOPPING/DELETING before it is gone.
// Minimum 1ms; default 50ms.
func WithDeleteTime(d time.Duration) Option {
	return func(c *config) { c.deleteTime = max(d, time.Millisecond) }
}

// WithSecond sets the fake duration of one second of API time, used for fields given in seconds
// such as autoHealingPolicies[].initialDelaySec. Minimum 1µs; default 1ms (initialDelaySec 300 →
// 300ms).
func WithSecond(d time.Duration) Option {
	return func(c *config) { c.second = max(d, time.Microsecond) }
}

// WithWaitTimeout sets the longest time regionOperations.wait blocks (the API: about 2 minutes).
func WithWaitTimeout(d time.Duration) Option {
	return func(c *config) { c.waitTimeout = max(d, 0) }
}

// WithSeed seeds the Fake's random source (ids, fingerprints, instance name suffixes).
func WithSeed(seed int64) Option {
	return func(c *config) { c.seed = seed }
}

// WithDiscoveryFile sets the path of compute-api.json instead of locating it.
func WithDiscoveryFile(path string) Option {
	return func(c *config) { c.discoveryFile = path }
}

// WithSelfLinkBase sets the prefix of every URL the Fake emits (selfLink, region, zone,
// instanceGroup, targetLink ...). It must end in "/compute/v1/". Default: the API's
// "https://www.googleapis.com/compute/v1/". References in requests are accepted with any host.
func WithSelfLinkBase(base string) Option {
	return func(c *config) { c.linkBase = base }
}

// WithClock replaces time.Now. Operations and groups advance with this clock only; a frozen clock
// freezes them (regionOperations.wait then blocks until its timeout measured on this clock).
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}
