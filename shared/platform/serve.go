package platform

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/chatfollow/chatfollow/shared/app"
)

// TickEvery is how often a scheduled function ticks in HTTP mode. The cloud schedules in
// serverless.yml, template.yaml and the Tencent descriptor tick once a minute, the finest an
// EventBridge rate allows; a long-running process can afford to look more often.
const TickEvery = 5 * time.Second

// serveHTTP serves the instance on ln until ctx ends (see Serve). A scheduled function also
// ticks every TickEvery.
func serveHTTP(ctx context.Context, in *instance, ln net.Listener) error {
	ticking := make(chan struct{})
	if in.fn.tick != nil {
		go func() {
			defer close(ticking)
			tickLoop(ctx, in)
		}()
	} else {
		close(ticking)
	}
	err := Serve(ctx, ln, in)
	<-ticking
	return err
}

// Serve serves h on ln until ctx ends, then lets the requests in flight finish (for up to 10 s).
// Its timeouts keep a slow or idle client from holding a connection for ever. The function
// binaries' HTTP mode and the local server both serve through it.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// tickLoop ticks until ctx ends; after a failed tick the next one runs on time.
func tickLoop(ctx context.Context, in *instance) {
	t := time.NewTicker(in.fn.tickEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			in.tick(ctx)
		}
	}
}

// tickRoutes serves POST /tick, which runs one tick now.
func tickRoutes(tick func(context.Context, *app.App) error) func(context.Context, *app.App) (http.Handler, error) {
	return func(_ context.Context, a *app.App) (http.Handler, error) {
		mux := http.NewServeMux()
		mux.HandleFunc("POST /tick", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if err := tick(r.Context(), a); err != nil {
				a.Log.Error("tick failed", "err", err)
				w.WriteHeader(http.StatusInternalServerError)
				w.Write([]byte(`{"status":"failed"}`))
				return
			}
			w.Write([]byte(`{"status":"ok"}`))
		})
		return mux, nil
	}
}
