// Package platform runs one function binary on whatever started it. The binary is the same for
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
// recorded response becomes the platform's answer. A scheduled function (ServeSchedule) also
// takes any other event (EventBridge schedule, SCF timer, a manual invocation) as one tick.
//
// The configuration is read once, at start-up; a configuration error stops the process. The App
// (store and outbox) is opened on the first request, not at start-up, and kept for every later
// invocation of the instance; if opening fails the request is answered as unavailable (a REST
// call gets its service's internal-error envelope) and the next request tries again. Nothing
// at start-up reaches the network.
//
// The three variables above name the runtime, not the product's configuration: they are read
// here, once, and nowhere else; aws-lambda-go and scf-go-lib read them again to connect.
//
// Internal to this module: not a supported API for other modules.
package platform

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

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/rest"
)

// ServeREST serves REST operations under /v4/ until the process is told to stop; it exits on a
// start-up error.
func ServeREST(ops ...func(rest.Deps) rest.Operation) {
	ServeHTTP(func(_ context.Context, a *app.App) (http.Handler, error) {
		gw, err := a.REST(ops...)
		if err != nil {
			return nil, err
		}
		return gw.Mount(http.NotFoundHandler()), nil
	})
}

// ServeHTTP serves the handler build makes from the function's App. build runs once per
// instance, on the first request; its context lives as long as the process.
func ServeHTTP(build func(context.Context, *app.App) (http.Handler, error)) {
	serve(function{build: build})
}

// ServeSchedule runs tick for every scheduled event: an EventBridge (CloudWatch Events)
// schedule on Lambda, a timer trigger on SCF, or any invocation that is not an API Gateway
// event. In HTTP mode it runs tick every TickEvery and on POST /tick (200 {"status":"ok"}, or 500
// {"status":"failed"} with the error logged), so a container needs no outside timer.
func ServeSchedule(tick func(context.Context, *app.App) error) {
	serve(function{build: tickRoutes(tick), tick: tick, tickEvery: TickEvery})
}

// function is what one binary serves.
type function struct {
	build     func(context.Context, *app.App) (http.Handler, error)
	tick      func(context.Context, *app.App) error // nil unless the function is scheduled
	tickEvery time.Duration                         // how often tick runs in HTTP mode
}

// The variables that name the runtime.
const (
	envLambda = "AWS_LAMBDA_RUNTIME_API"
	envSCF    = "_LAMBDA_SERVER_PORT"
	envPort   = "PORT"

	defaultPort = "9000"
)

func serve(fn function) {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.LookupEnv, log, fn, nil)
	stop()
	if err != nil {
		log.Error("function stopped", "err", err)
		os.Exit(1)
	}
}

// run serves fn in the mode lookup names until ctx ends. The event modes never return. HTTP
// mode serves on ln when it is given (tests hand over a listener they opened), else on PORT.
func run(ctx context.Context, lookup func(string) (string, bool), log *slog.Logger, fn function, ln net.Listener) error {
	cfg, err := config.Load(lookup, config.Deployed)
	if err != nil {
		return err
	}
	in := newInstance(ctx, cfg, log, fn)
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
	if ln == nil {
		port := env(lookup, envPort)
		if port == "" {
			port = defaultPort
		}
		if ln, err = net.Listen("tcp", ":"+port); err != nil {
			return fmt.Errorf("listen :%s: %w", port, err)
		}
	}
	return serveHTTP(ctx, in, ln)
}

func env(lookup func(string) (string, bool), name string) string {
	v, _ := lookup(name)
	return v
}
