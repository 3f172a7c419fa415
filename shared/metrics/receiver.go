package metrics

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Receivers counts the refusals of the receivers' routes, /callback and below, of next (any
// answer but HTTP 200); other paths pass through. Events the receivers accept are counted by
// the store that records them (Store). The command label is one of protocol.CallbackCommands or
// "unknown", so a sender cannot grow the label set.
func (m *Metrics) Receivers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" && !strings.HasPrefix(r.URL.Path, "/callback/") {
			next.ServeHTTP(w, r)
			return
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		command := r.URL.Query().Get("CallbackCommand")
		if rest, ok := strings.CutPrefix(r.URL.Path, "/callback/"); ok {
			command = rest
		}
		if !slices.Contains(protocol.CallbackCommands(), command) {
			command = "unknown"
		}
		if sw.status != http.StatusOK {
			m.Receiver(command, "refused")
		}
		if inv := invocationOf(r.Context()); inv != nil {
			inv.Command, inv.Code = command, sw.status
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Store returns st counting, after each commit, the events the receivers recorded: "recorded"
// for a new one, "duplicate" for one already in the log.
func (m *Metrics) Store(st store.ReceiverStore) store.ReceiverStore {
	return &observedStore{ReceiverStore: st, m: m}
}

type observedStore struct {
	store.ReceiverStore
	m *Metrics
}

func (s *observedStore) Update(ctx context.Context, fn func(store.ReceiverTx) error) error {
	var events []observedEvent
	err := s.ReceiverStore.Update(ctx, func(tx store.ReceiverTx) error {
		events = events[:0] // a retried transaction counts once
		return fn(&observedTx{ReceiverTx: tx, events: &events})
	})
	if err == nil {
		for _, e := range events {
			s.m.Receiver(e.command, e.result)
		}
	}
	return err
}

type observedEvent struct{ command, result string }

type observedTx struct {
	store.ReceiverTx
	events *[]observedEvent
}

func (t *observedTx) RecordEvent(ctx context.Context, e store.ReceivedEvent) (store.ReceivedEvent, bool, error) {
	got, isNew, err := t.ReceiverTx.RecordEvent(ctx, e)
	if err == nil {
		result := "duplicate"
		if isNew {
			result = "recorded"
		}
		*t.events = append(*t.events, observedEvent{e.Command, result})
	}
	return got, isNew, err
}
