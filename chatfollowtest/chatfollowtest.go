// Package chatfollowtest runs this project's whole server in process, for an app's own tests of
// its Tencent Cloud Chat integration: no network, no Tencent account, an in-memory store.
//
//	srv := chatfollowtest.NewServer(t)
//	c, _ := client.New(srv.Config)
//	... calls ...
//	for _, w := range srv.Webhooks(t) { ... w.Command, w.Body ... }
//
// The server answers every REST operation as Tencent does (the rules are docs/wire.md), imports
// its administrator at start, delivers the after-webhooks to its own receivers (or to a URL of
// the test's choice) and records what it delivered. Rate limits are off.
//
// This package is supported public API of the module.
package chatfollowtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatfollow/chatfollow/client"
	"github.com/chatfollow/chatfollow/localserver"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Admin is the administrator the server imports and Config signs as.
const Admin = "administrator"

// Server is a running in-process server.
type Server struct {
	URL    string        // http://127.0.0.1:<port>
	Config client.Config // ready for client.New: this server, its app, Admin and the key

	app      *app.App
	http     *http.Server
	stop     context.CancelFunc
	done     chan struct{} // closed when the dispatcher and the HTTP server have stopped
	mu       sync.Mutex
	webhooks []Webhook
	seen     map[string]bool // command + body of each recorded webhook
	close    sync.Once
}

// Webhook is one webhook the server delivered to its own receivers.
type Webhook struct {
	Command string          // the CallbackCommand, e.g. Follow.CallbackAfterFollowDelete
	Body    json.RawMessage // the body as sent
}

// Option changes how the server starts.
type Option func(*options)

type options struct{ callbackURL string }

// WithCallbackURL delivers the webhooks to url instead of the server's own receivers; Webhooks
// then lists nothing, since they go elsewhere.
func WithCallbackURL(url string) Option { return func(o *options) { o.callbackURL = url } }

// NewServer starts a server on a loopback port; it stops when the test ends (or at Close).
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("chatfollowtest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a server outside a test (an example, a development tool); Close stops it.
func Start(opts ...Option) (*Server, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := config.Load(func(string) (string, bool) { return "", false }, config.Local)
	if err != nil {
		return nil, err
	}
	cfg.DatabaseURL = "sqlite::memory:"
	cfg.Admins = []string{Admin}
	cfg.RateLimit = 0
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	cfg.Listening(ln.Addr()) // the own receivers' /callback, on the port just bound
	if o.callbackURL != "" {
		cfg.Callback.URL = o.callbackURL
	}
	ctx := context.Background()
	a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		ln.Close()
		return nil, err
	}
	h, err := localserver.New(a)
	if err == nil {
		err = localserver.ImportAdmins(ctx, a)
	}
	if err != nil {
		ln.Close()
		a.Close()
		return nil, err
	}
	s := &Server{
		URL:  "http://" + ln.Addr().String(),
		app:  a,
		done: make(chan struct{}),
		seen: map[string]bool{},
	}
	s.Config = client.Config{BaseURL: s.URL, SDKAppID: cfg.SDKAppID, Identifier: Admin, SecretKey: cfg.SecretKey}
	s.http = &http.Server{Handler: s.record(h), ReadHeaderTimeout: 5 * time.Second}
	dctx, cancel := context.WithCancel(ctx)
	s.stop = cancel
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a.RunDispatcher(dctx) }()
	go func() { defer wg.Done(); s.http.Serve(ln) }()
	go func() { wg.Wait(); close(s.done) }()
	return s, nil
}

// Close stops the server and frees its store.
func (s *Server) Close() {
	s.close.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.http.Shutdown(ctx)
		s.stop()
		<-s.done
		s.app.Close()
	})
}

// Webhooks waits until every webhook committed so far has been delivered (at most 10 s), then
// returns those the server's own receivers accepted, in the order they arrived (a
// redelivery of the same body is listed once).
func (s *Server) Webhooks(t testing.TB) []Webhook {
	t.Helper()
	ws, err := s.Delivered()
	if err != nil {
		t.Fatalf("chatfollowtest: %v", err)
	}
	return ws
}

// Delivered is Webhooks outside a test.
func (s *Server) Delivered() ([]Webhook, error) {
	if err := s.settle(10 * time.Second); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Webhook(nil), s.webhooks...), nil
}

// settle waits for the outbox to hold no pending delivery.
func (s *Server) settle(limit time.Duration) error {
	if s.app.Dispatcher == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for {
		if _, err := s.app.Dispatcher.Drain(ctx); err != nil && ctx.Err() == nil {
			return err
		}
		var pending []store.Delivery
		err := s.app.Store.View(ctx, func(tx store.Tx) (err error) {
			pending, err = tx.Deliveries(ctx, store.Pending, 1)
			return err
		})
		switch {
		case err != nil && ctx.Err() == nil:
			return err
		case ctx.Err() != nil:
			return errors.New("webhooks still pending after " + limit.String() + " (is the receiver answering?)")
		case len(pending) == 0:
			return nil
		}
		time.Sleep(5 * time.Millisecond) // a delivery leased by the background loop is on its way
	}
}

// record keeps each webhook a receiver of this server answered with HTTP 200.
func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/callback") {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4<<20))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		if sw.status != http.StatusOK {
			return
		}
		// A redelivery (same command, same body) is the same event, as the receivers count it.
		cmd := r.URL.Query().Get("CallbackCommand")
		s.mu.Lock()
		if key := cmd + "\n" + string(body); !s.seen[key] {
			s.seen[key] = true
			s.webhooks = append(s.webhooks, Webhook{Command: cmd, Body: body})
		}
		s.mu.Unlock()
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
