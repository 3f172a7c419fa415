package host

import (
	"context"
	"io"
	"log/slog"
)

// InvokeLambda answers one AWS Lambda payload (an API Gateway event of version 1.0 or 2.0, or
// any other event for a scheduled function) with a fresh instance of fn, as the Lambda runtime
// would have it answered: for tests and tools that replay recorded events.
func InvokeLambda(ctx context.Context, fn Function, payload []byte) ([]byte, error) {
	in := newInstance(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), fn)
	defer in.close()
	return lambdaHandler{in}.Invoke(ctx, payload)
}

// InvokeSCF is InvokeLambda for a Tencent SCF event function's payload.
func InvokeSCF(ctx context.Context, fn Function, payload []byte) ([]byte, error) {
	in := newInstance(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), fn)
	defer in.close()
	return scfHandler{in}.Invoke(ctx, payload)
}
