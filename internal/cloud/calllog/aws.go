package calllog

import (
	"context"
	"errors"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Middleware adds the AWS call log to an SDK operation's stack (an API option: config.WithAPIOptions).
// It marks each call for counting in the initialize step and logs each attempt last in the finalize
// step, after the SDK's retry loop and signing, so every retry is an entry of its own.
func Middleware(stack *middleware.Stack) error {
	if err := stack.Initialize.Add(middleware.InitializeMiddlewareFunc("CallLogAttempts", countAttempts), middleware.Before); err != nil {
		return err
	}
	return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("CallLog", logAttempt), middleware.After)
}

func countAttempts(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
	middleware.InitializeOutput, middleware.Metadata, error,
) {
	return next.HandleInitialize(WithAttempts(ctx), in)
}

func logAttempt(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	attempt := nextAttempt(ctx)
	start := time.Now()
	out, metadata, err := next.HandleFinalize(ctx, in)
	fields := map[string]any{
		"cloud":       "aws",
		"operation":   awsmiddleware.GetOperationName(ctx),
		"service":     awsmiddleware.GetServiceID(ctx),
		"duration_ms": milliseconds(time.Since(start)),
	}
	if attempt > 0 {
		fields["attempt"] = attempt
	}
	if req, ok := in.Request.(*smithyhttp.Request); ok {
		fields["method"] = req.Method
		fields["target"] = Target(req.URL)
	}
	if resp, ok := awsmiddleware.GetRawResponse(metadata).(*smithyhttp.Response); ok && resp != nil && resp.Response != nil {
		fields["status"] = resp.StatusCode
		addRequestIDs(fields, resp.Header)
	}
	if id, ok := awsmiddleware.GetRequestIDMetadata(metadata); ok && id != "" && fields["request_id"] == nil {
		fields["request_id"] = id
	}
	if err != nil {
		fields["error"] = awsError(err)
	}
	tflog.Debug(ctx, Message, fields)
	return out, metadata, err
}

// awsError is the API error code of err, or for a request that could not be sent, why (without its
// URL). Anything else that fails below the finalize step is a response that could not be decoded,
// whose error may quote the body: it is not repeated here (the call returns it).
func awsError(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	var sendErr *smithyhttp.RequestSendError
	if errors.As(err, &sendErr) {
		return sendError(sendErr.Err)
	}
	return "the response could not be decoded"
}
