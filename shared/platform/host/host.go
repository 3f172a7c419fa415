// Package host runs one function binary on whatever started it. The binary is the same for
// every platform; it picks its mode from the variables the platform sets:
//
//   - AWS_LAMBDA_RUNTIME_API set: AWS Lambda (runtime provided.al2023) through aws-lambda-go.
//     API Gateway events of payload version 1.0 (REST APIs) and 2.0 (HTTP APIs, function URLs)
//     are told apart by the event itself.
//   - _LAMBDA_SERVER_PORT set: a Tencent SCF event function (runtime Go1) through scf-go-lib's
//     net/rpc protocol, with API Gateway trigger events (integrated response).
//   - otherwise: plain net/http on PORT (default 9000, all interfaces), as Tencent SCF Web
//     Functions (started by scf_bootstrap) and containers expect. The function's routes answer
//     as on the local server, with GET /healthz beside them.
//
// In the two event modes an API Gateway event becomes an *http.Request (path, raw query string,
// multi-value headers, base64 bodies decoded, RemoteAddr set to the gateway's source IP so
// ClientIP is the caller's) and runs through the very http.Handler the local server mounts; the
// recorded response becomes the platform's answer. A scheduled function also takes any other
// event (EventBridge schedule, SCF timer, a manual invocation) as one tick.
//
// The configuration is read once, at start-up (Setup); a configuration error stops the process
// with exit status 1 and the error logged. The Unit (store and handler) is opened on the first
// request, not at start-up, and kept for every later invocation of the instance; if opening
// fails the request is answered as unavailable (a REST call gets its service's internal-error
// envelope) and the next request tries again. Nothing at start-up reaches the network.
//
// It knows nothing of what it runs: shared/platform binds it to the server half (REST
// operations, the dispatcher), shared/receiver/function to the receivers, so a receiver binary
// links none of the server half.
//
// The three variables above name the runtime, not the product's configuration: they are read
// here, once, and nowhere else; aws-lambda-go and scf-go-lib read them again to connect.
package host

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/tencentyun/scf-go-lib/cloudfunction"

	"github.com/chatfollow/chatfollow/shared/metrics"
)

// Unit is an opened function: what its first request opens and every later one uses.
type Unit struct {
	Handler http.Handler                // the function's routes
	Ping    func(context.Context) error // GET /healthz answers 200 when it returns nil; nil: always
	Tick    func(context.Context) error // the scheduled work, for a Scheduled Function
	Close   func() error                // releases the store; may be nil
	// Metrics, when set, answers GET /metrics, counts the receivers' refusals, and on Lambda
	// and SCF logs one JSON line per invocation.
	Metrics *metrics.Metrics
}

// Function is what one binary serves.
type Function struct {
	// Open opens the Unit, on the first request (and in the background at start-up); after a
	// failure the next request calls it again. ctx bounds the opening; process lives as long
	// as the process, for background work the Unit starts.
	Open func(ctx, process context.Context) (*Unit, error)
	// Scheduled functions tick on every event that is not an API Gateway request, every
	// TickEvery in HTTP mode, and on POST /tick.
	Scheduled bool
	TickEvery time.Duration
}

// Setup reads the function's configuration from lookup at start-up; an error stops the
// process.
type Setup func(lookup func(string) (string, bool), log *slog.Logger) (Function, error)

// The variables that name the runtime.
const (
	envLambda = "AWS_LAMBDA_RUNTIME_API"
	envSCF    = "_LAMBDA_SERVER_PORT"
	envPort   = "PORT"

	defaultPort = "9000"
)

// Main runs the function setup describes in the mode the environment names, until the process
// is told to stop; it exits with status 1 on a start-up error.
func Main(setup Setup) {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.LookupEnv, log, setup)
	stop()
	if err != nil {
		log.Error("function stopped", "err", err)
		os.Exit(1)
	}
}

// Run serves the function in the mode lookup names until ctx ends. The event modes never
// return.
func Run(ctx context.Context, lookup func(string) (string, bool), log *slog.Logger, setup Setup) error {
	return run(ctx, lookup, log, setup, func() (net.Listener, error) {
		port := env(lookup, envPort)
		if port == "" {
			port = defaultPort
		}
		ln, err := net.Listen("tcp", ":"+port)
		if err != nil {
			return nil, fmt.Errorf("listen on port %s (PORT): %w", port, err)
		}
		return ln, nil
	})
}

// run is Run with the HTTP mode's listener made by listen (a test hands over one it holds).
func run(ctx context.Context, lookup func(string) (string, bool), log *slog.Logger, setup Setup, listen func() (net.Listener, error)) error {
	fn, err := setup(lookup, log)
	if err != nil {
		return err
	}
	in := newInstance(ctx, log, fn)
	defer in.close()
	// Open the store while the runtime handshake goes on, so the first invocation finds it open
	// (or waits for the open in progress); if it fails, the first request tries again.
	go func() {
		if _, err := in.ready(ctx); err != nil {
			log.Warn("open at start-up failed; the first request retries", "err", err)
		}
	}()
	switch {
	case env(lookup, envLambda) != "":
		lambda.Start(lambdaHandler{in})
	case env(lookup, envSCF) != "":
		cloudfunction.StartHandler(scfHandler{in})
	}
	ln, err := listen()
	if err != nil {
		return err
	}
	return serveHTTP(ctx, in, ln)
}

func env(lookup func(string) (string, bool), name string) string {
	v, _ := lookup(name)
	return v
}
