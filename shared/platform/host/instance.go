package host

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

	"github.com/chatfollow/chatfollow/shared/envelope"
)

// openTimeout bounds opening the store (connection and migrations) for one request.
const openTimeout = 10 * time.Second

// instance is one running copy of a function: the Function set up at start-up, and the Unit
// opened by the first request and kept for every later one. It is the http.Handler every mode
// serves.
type instance struct {
	ctx context.Context // lives as long as the process
	log *slog.Logger
	fn  Function

	mu   sync.Mutex // held while opening
	open atomic.Pointer[opened]
}

// opened is an instance ready to serve.
type opened struct {
	unit    *Unit
	handler http.Handler // the function's routes with GET /healthz (and POST /tick) beside them
}

func newInstance(ctx context.Context, log *slog.Logger, fn Function) *instance {
	return &instance{ctx: ctx, log: log, fn: fn}
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
	u, err := in.fn.Open(openCtx, in.ctx)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	// No ServeMux around the unit's handler: it would redirect unclean paths such as
	// /v4//follow/follow_add, which the gateway answers itself, as the local server does.
	// Metrics.Receivers counts refusals of /callback routes and passes every other path through.
	h := u.Handler
	if u.Metrics != nil {
		h = u.Metrics.Receivers(h)
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/healthz":
			health(w, r, u.Ping)
		case r.Method == http.MethodPost && r.URL.Path == "/tick" && in.fn.Scheduled:
			in.tickNow(w, r, u)
		case r.Method == http.MethodGet && r.URL.Path == "/metrics" && u.Metrics != nil:
			u.Metrics.Handler().ServeHTTP(w, r)
		default:
			h.ServeHTTP(w, r)
		}
	})
	o := &opened{unit: u, handler: handler}
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
		err = o.unit.Tick(ctx)
	}
	if err != nil && ctx.Err() == nil {
		in.log.Error("tick failed", "err", err)
	}
	return err
}

// close releases the Unit if a request opened it.
func (in *instance) close() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if o := in.open.Swap(nil); o != nil && o.unit.Close != nil {
		if err := o.unit.Close(); err != nil {
			in.log.Error("close store", "err", err)
		}
	}
}

// health answers GET /healthz: 200 when ping (the store) answers, 503 otherwise.
func health(w http.ResponseWriter, r *http.Request, ping func(context.Context) error) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	if ping != nil {
		if err := ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"status":"unavailable"}`))
			return
		}
	}
	w.Write([]byte(`{"status":"ok"}`))
}

// tickNow answers POST /tick of a scheduled function: one tick now.
func (in *instance) tickNow(w http.ResponseWriter, r *http.Request, u *Unit) {
	w.Header().Set("Content-Type", "application/json")
	if err := u.Tick(r.Context()); err != nil {
		in.log.Error("tick failed", "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"status":"failed"}`))
		return
	}
	w.Write([]byte(`{"status":"ok"}`))
}

// unavailable answers a request the instance cannot serve yet: a REST call gets its service's
// retry-code envelope (HTTP 200, as every REST answer; clients retry it), anything else 503.
func unavailable(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if path, ok := strings.CutPrefix(r.URL.Path, "/v4/"); ok {
		service := envelope.ServiceByName(path[:max(0, strings.IndexByte(path, '/'))])
		w.Write(envelope.AppendFail(nil, service, service.RetryCode(), "service unavailable, retry"))
		return
	}
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write([]byte(`{"status":"unavailable"}`))
}
