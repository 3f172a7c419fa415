package platform

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/envelope"
)

// openTimeout bounds opening the store (connection and migrations) for one request.
const openTimeout = 10 * time.Second

// instance is one running copy of a function: the configuration read at start-up, and the App
// and handler opened by the first request and kept for every later one. It is the http.Handler
// every mode serves.
type instance struct {
	ctx context.Context // lives as long as the process
	cfg config.Config
	log *slog.Logger
	fn  function

	mu   sync.Mutex // held while opening
	open atomic.Pointer[opened]
}

// opened is an instance ready to serve.
type opened struct {
	app     *app.App
	handler http.Handler // the function's routes with GET /healthz beside them
}

func newInstance(ctx context.Context, cfg config.Config, log *slog.Logger, fn function) *instance {
	return &instance{ctx: ctx, cfg: cfg, log: log, fn: fn}
}

// ready returns the opened instance, opening it first if no request has.
func (in *instance) ready(ctx context.Context) (*opened, error) {
	if o := in.open.Load(); o != nil {
		return o, nil
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if o := in.open.Load(); o != nil {
		return o, nil
	}
	// The open outlives a request that gives up on it, so the next request finds it done.
	openCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), openTimeout)
	defer cancel()
	a, err := app.Open(openCtx, in.cfg, in.log)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	h, err := in.fn.build(in.ctx, a)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("build handler: %w", err)
	}
	// No ServeMux around h: it would redirect unclean paths such as /v4//follow/follow_add,
	// which the gateway answers itself, as the local server does.
	// Receivers counts refusals of /callback routes and passes every other path through.
	h = a.Metrics.Receivers(h)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/healthz" {
			a.Health(w, r)
			return
		}
		if r.Method == http.MethodGet && r.URL.Path == "/metrics" {
			a.Metrics.Handler().ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
	o := &opened{app: a, handler: handler}
	in.open.Store(o)
	return o, nil
}

// ServeHTTP serves r with the function's handler, or answers that the function is unavailable.
func (in *instance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o, err := in.ready(r.Context())
	if err != nil {
		in.log.Error("function unavailable", "path", r.URL.Path, "err", err)
		unavailable(w, r)
		return
	}
	o.handler.ServeHTTP(w, r)
}

// recoverPanic turns a panic of the function's code into *err, logged with its stack.
func (in *instance) recoverPanic(err *error) {
	if p := recover(); p != nil {
		in.log.Error("function panicked", "panic", p, "stack", string(debug.Stack()))
		*err = fmt.Errorf("function panicked: %v", p)
	}
}

// tick runs the function's scheduled work once; a failure is logged and returned.
func (in *instance) tick(ctx context.Context) (err error) {
	defer in.recoverPanic(&err)
	o, err := in.ready(ctx)
	if err == nil {
		err = in.fn.tick(ctx, o.app)
	}
	if err != nil && ctx.Err() == nil {
		in.log.Error("tick failed", "err", err)
	}
	return err
}

// close releases the App if a request opened it.
func (in *instance) close() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if o := in.open.Swap(nil); o != nil {
		if err := o.app.Close(); err != nil {
			in.log.Error("close store", "err", err)
		}
	}
}

// unavailable answers a request the instance cannot serve yet: a REST call gets its service's
// internal-error envelope (HTTP 200, as every REST answer; clients retry it), anything else 503.
func unavailable(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if path, ok := strings.CutPrefix(r.URL.Path, "/v4/"); ok {
		service := envelope.ServiceByName(path[:max(0, strings.IndexByte(path, '/'))])
		w.Write(envelope.AppendFail(nil, service, service.InternalCode(), "service unavailable, retry"))
		return
	}
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write([]byte(`{"status":"unavailable"}`))
}
