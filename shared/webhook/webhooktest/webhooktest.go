// Package webhooktest is a real HTTP receiver for tests: it records every webhook it gets and
// answers as the test tells it to.
//
// Internal to this module: not a supported API for other modules.
package webhooktest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// Request is one webhook as received.
type Request struct {
	Query  url.Values
	Header http.Header
	Body   []byte
	At     time.Time
	Gone   <-chan struct{} // closed when the sender gives up on the request
}

// Command is the request's CallbackCommand.
func (r Request) Command() string { return r.Query.Get("CallbackCommand") }

// OK is the answer a receiver gives to accept a webhook.
const OK = `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`

// Receiver records webhooks. Answer decides each answer (default: 200 OK); it is called with the
// request's number, counting from 1.
type Receiver struct {
	URL string

	mu       sync.Mutex
	requests []Request
	answer   func(n int, r Request, w http.ResponseWriter)
	arrived  chan struct{}
	srv      *httptest.Server
}

// New starts a receiver that lives until the test ends; configure, if given, adjusts its
// http.Server before it starts.
func New(t testing.TB, configure ...func(*http.Server)) *Receiver {
	r := &Receiver{arrived: make(chan struct{}, 1<<16)}
	r.srv = httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	for _, c := range configure {
		c(r.srv.Config)
	}
	r.srv.Start()
	r.URL = r.srv.URL
	t.Cleanup(r.Close)
	return r
}

// Close stops the receiver.
func (r *Receiver) Close() { r.srv.Close() }

// Server is the underlying test server (for connection-state hooks).
func (r *Receiver) Server() *httptest.Server { return r.srv }

// Answer sets how the receiver answers.
func (r *Receiver) Answer(f func(n int, req Request, w http.ResponseWriter)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.answer = f
}

func (r *Receiver) serve(w http.ResponseWriter, hr *http.Request) {
	body, _ := io.ReadAll(hr.Body)
	req := Request{Query: hr.URL.Query(), Header: hr.Header.Clone(), Body: body, At: time.Now(), Gone: hr.Context().Done()}
	r.mu.Lock()
	r.requests = append(r.requests, req)
	n, answer := len(r.requests), r.answer
	r.mu.Unlock()
	r.arrived <- struct{}{}
	if answer != nil {
		answer(n, req, w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, OK)
}

// Requests returns what was received so far.
func (r *Receiver) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.requests...)
}

// WaitFor waits until n requests have arrived in all, failing the test after timeout.
func (r *Receiver) WaitFor(t testing.TB, n int, timeout time.Duration) []Request {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if got := r.Requests(); len(got) >= n {
			return got
		}
		select {
		case <-r.arrived:
		case <-deadline:
			t.Fatalf("receiver got %d webhooks, want %d within %v", len(r.Requests()), n, timeout)
		}
	}
}
