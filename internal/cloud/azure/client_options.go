package azure

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azcloud "github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/calllog"
)

// clientOptions are the SDK options of every Azure client, the credentials' included: the cloud, a
// per-call policy (callPolicy) and the logging transport.
//
// The User-Agent is set by a policy, not Telemetry.ApplicationID, which azcore cuts to 24
// characters.
func clientOptions(cfg azcloud.Configuration, userAgent string) azcore.ClientOptions {
	return azcore.ClientOptions{Cloud: cfg, PerCallPolicies: []policy.Policy{callPolicy{userAgent: userAgent}}, Transport: loggingClient}
}

// armOptions are the options of the session's Resource Manager clients.
func (s *Session) armOptions() *arm.ClientOptions {
	return &arm.ClientOptions{ClientOptions: clientOptions(s.Cloud, s.UserAgent)}
}

// callPolicy runs once per call, after azcore's telemetry policy has written the SDK's User-Agent
// and before its retries: it puts userAgent in front of the SDK's, and gives the call an attempt
// counter so the transport logs each try with its number.
type callPolicy struct{ userAgent string }

func (p callPolicy) Do(req *policy.Request) (*http.Response, error) {
	if p.userAgent != "" {
		h := req.Raw().Header
		v := p.userAgent
		if sdk := h.Get("User-Agent"); sdk != "" {
			v += " " + sdk
		}
		h.Set("User-Agent", v)
	}
	return req.WithContext(calllog.WithAttempts(req.Raw().Context())).Next()
}

// loggingClient is the transport of every Azure client: azcore's default settings (which it does not
// export) under the call log. One client, so connections are shared as with azcore's default.
var loggingClient = &http.Client{Transport: calllog.Transport("azure", azureTransport())}

func azureTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   10,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12, Renegotiation: tls.RenegotiateFreelyAsClient},
		// A connection idle for 10 s is pinged; one that does not answer in 5 s is closed.
		HTTP2: &http.HTTP2Config{SendPingTimeout: 10 * time.Second, PingTimeout: 5 * time.Second},
	}
}
