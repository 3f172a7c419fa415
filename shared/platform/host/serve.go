package host

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// TickEvery is how often a scheduled function ticks in HTTP mode. The cloud schedules in
// serverless.yml, template.yaml and the Tencent descriptor tick once a minute, the finest an
// EventBridge rate allows; a long-running process can afford to look more often: every second,
// so that in HTTP mode a delivery the inline attempts left behind (their budget spent) waits at
// most about a second (docs/delivery.md, Lag). An idle tick is one indexed query.
const TickEvery = time.Second

// serveHTTP serves the instance on ln until ctx ends (see Serve). A scheduled function also
// ticks every TickEvery.
func serveHTTP(ctx context.Context, in *instance, ln net.Listener) error {
	ticking := make(chan struct{})
	if in.fn.Scheduled {
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
	t := time.NewTicker(in.fn.TickEvery)
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
