// Package platform runs one function binary of the server half (a REST operation, the webhook
// dispatcher) on whatever started it: AWS Lambda, Tencent SCF, or plain net/http on PORT (see
// shared/platform/host, which does the running). It reads the server's configuration
// (CHAT_* variables) once, at start-up, and opens the function's App (store and outbox) on the
// first request. The receivers run on host too, through shared/receiver/function, and link
// nothing of this package.
//
// Internal to this module: not a supported API for other modules.
package platform

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/platform/host"
)

// TickEvery is how often a scheduled function ticks in HTTP mode.
const TickEvery = host.TickEvery

// ServeHTTP serves the handler build makes from the function's App. build runs once per
// instance, on the first request; its context lives as long as the process.
func ServeHTTP(build func(context.Context, *app.App) (http.Handler, error)) {
	host.Main(setup(build, nil))
}

// ServeSchedule runs tick for every scheduled event: an EventBridge (CloudWatch Events)
// schedule on Lambda, a timer trigger on SCF, or any invocation that is not an API Gateway
// event. In HTTP mode it runs tick every TickEvery and on POST /tick (200 {"status":"ok"}, or 500
// {"status":"failed"} with the error logged), so a container needs no outside timer.
func ServeSchedule(tick func(context.Context, *app.App) error) {
	host.Main(setup(nil, tick))
}

// ServeConsole serves the operator console (docs/product.md, /console). It refuses to start
// without CHAT_CONSOLE_TOKEN: a deployed console is never bound to loopback.
func ServeConsole(build func(context.Context, *app.App) (http.Handler, error)) {
	host.Main(consoleSetup(build))
}

func consoleSetup(build func(context.Context, *app.App) (http.Handler, error)) host.Setup {
	return func(lookup func(string) (string, bool), log *slog.Logger) (host.Function, error) {
		if v, _ := lookup("CHAT_CONSOLE_TOKEN"); v == "" {
			return host.Function{}, fmt.Errorf("CHAT_CONSOLE_TOKEN is required: the deployed console is reachable from the network")
		}
		return setup(build, nil)(lookup, log)
	}
}

// Serve serves h on ln until ctx ends, then lets the requests in flight finish (see host.Serve).
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error { return host.Serve(ctx, ln, h) }

// setup reads the server's configuration and returns the function that opens an App and
// builds the handler (or, for a scheduled function, ticks) with it.
func setup(build func(context.Context, *app.App) (http.Handler, error), tick func(context.Context, *app.App) error) host.Setup {
	return func(lookup func(string) (string, bool), log *slog.Logger) (host.Function, error) {
		cfg, err := config.Load(lookup, config.Deployed)
		if err != nil {
			return host.Function{}, err
		}
		open := func(ctx, process context.Context) (*host.Unit, error) {
			a, err := app.Open(ctx, cfg, log)
			if err != nil {
				return nil, err
			}
			u := &host.Unit{Handler: http.NotFoundHandler(), Ping: a.Store.Ping, Close: a.Close, Metrics: a.Metrics}
			if build != nil {
				if u.Handler, err = build(process, a); err != nil {
					a.Close()
					return nil, err
				}
			}
			if tick != nil {
				u.Tick = func(ctx context.Context) error { return tick(ctx, a) }
			}
			return u, nil
		}
		return host.Function{Open: open, Scheduled: tick != nil, TickEvery: TickEvery}, nil
	}
}
