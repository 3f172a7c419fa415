// Package platform runs one function binary on whatever started it. Today: plain net/http on
// PORT (default 9000, all interfaces), as Tencent SCF Web Functions and containers expect.
package platform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/rest"
)

// ServeREST serves REST operations until the process is told to stop; it exits on a start-up error.
func ServeREST(ops ...func(rest.Deps) rest.Operation) {
	ServeHTTP(func(_ context.Context, a *app.App) (http.Handler, error) {
		gw, err := a.REST(ops...)
		if err != nil {
			return nil, err
		}
		mux := http.NewServeMux()
		mux.Handle("/v4/", gw)
		return mux, nil
	})
}

// ServeHTTP serves the handler build makes from the function's App, with GET /healthz beside it,
// until the process is told to stop; it exits on a start-up error.
func ServeHTTP(build func(context.Context, *app.App) (http.Handler, error)) {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := serve(log, build); err != nil {
		log.Error("function stopped", "err", err)
		os.Exit(1)
	}
}

func serve(log *slog.Logger, build func(context.Context, *app.App) (http.Handler, error)) error {
	cfg, err := config.Load(os.LookupEnv, config.Deployed)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	h, err := build(ctx, a)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("GET /healthz", a.Health)
	return serveHTTP(ctx, ":"+port(), mux)
}

func port() string {
	if p := os.Getenv("PORT"); p != "" {
		return p
	}
	return "9000"
}

// serveHTTP serves h on addr until ctx ends, then drains in-flight requests.
func serveHTTP(ctx context.Context, addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return fmt.Errorf("listen %s: %w", addr, err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
