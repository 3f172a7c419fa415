package servertest

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Outbox records the after-webhooks that committed transactions wrote to the outbox, in commit
// order. Transactions that rolled back (or ran again after a conflict) leave nothing behind.
type Outbox struct {
	mu      sync.Mutex
	written []store.NewDelivery
}

// RecordOutbox turns the App's outbox on (whatever CHAT_CALLBACK_URL says) and records what it
// writes; nothing is delivered.
func RecordOutbox(a *app.App) *Outbox {
	o := &Outbox{}
	st := recording{Store: a.Store, o: o}
	a.Store = st
	a.Outbox = outbox.New(st, true, nil, func() time.Time { return a.Now() })
	return o
}

// Take returns the bodies written since the last Take, in order, and forgets them.
func (o *Outbox) Take() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	bodies := make([]string, len(o.written))
	for i, d := range o.written {
		bodies[i] = string(d.Body)
	}
	o.written = nil
	return bodies
}

type recording struct {
	store.Store
	o *Outbox
}

func (r recording) Update(ctx context.Context, fn func(store.Tx) error) error {
	var pending []store.NewDelivery
	err := r.Store.Update(ctx, func(tx store.Tx) error {
		pending = pending[:0]
		return fn(recordingTx{Tx: tx, pending: &pending})
	})
	if err == nil && len(pending) > 0 {
		r.o.mu.Lock()
		r.o.written = append(r.o.written, pending...)
		r.o.mu.Unlock()
	}
	return err
}

type recordingTx struct {
	store.Tx
	pending *[]store.NewDelivery
}

func (t recordingTx) Enqueue(ctx context.Context, d store.NewDelivery) (int64, error) {
	id, err := t.Tx.Enqueue(ctx, d)
	if err == nil {
		*t.pending = append(*t.pending, d)
	}
	return id, err
}

func (t recordingTx) EnqueueAll(ctx context.Context, ds []store.NewDelivery) ([]int64, error) {
	ids, err := t.Tx.EnqueueAll(ctx, ds)
	if err == nil {
		*t.pending = append(*t.pending, ds...)
	}
	return ids, err
}

// Scenario starts a server on databaseURL whose clock stands at start and moves only when the
// test moves it, and whose outbox is on and recorded: a test can then pin whole answers,
// FollowTime and EventTime included, and every webhook body.
func Scenario(t testing.TB, databaseURL string, start time.Time, opts ...Option) (*Server, *Clock) {
	t.Helper()
	cfg := Config(t, databaseURL)
	for _, o := range opts {
		o(&cfg)
	}
	clock := NewClock(start)
	var rec *Outbox
	s := StartApp(t, cfg, func(a *app.App) {
		a.Now = clock.Now
		rec = RecordOutbox(a)
	})
	s.Outbox = rec
	return s, clock
}

// Step is one REST call of a scenario.
type Step struct {
	Name string
	Path string // below /v4/, e.g. "follow/follow_add"
	Body string // sent as is; "<cursor>" stands for the NextCursor of the last answer that had one
	Want string // the whole answer; a non-empty NextCursor in it is written "<cursor>"
	// Webhooks are the bodies of the after-webhooks the call must write to the outbox, in
	// order; none when empty. Checked when the server records its outbox (Scenario).
	Webhooks []string
	// Advance moves the server's clock before the call (Scenario).
	Advance time.Duration
}

// cursorField matches a NextCursor value in an answer.
var cursorField = regexp.MustCompile(`"NextCursor":"([^"]*)"`)

// Run makes the calls of steps in order, each compared whole with its Want. Cursors in answers
// must be 40 characters of URL-safe base64; they are compared as "<cursor>" and can be sent
// back with "<cursor>" in a later Body.
func (s *Server) Run(t *testing.T, clock *Clock, steps []Step) {
	t.Helper()
	cursor := ""
	for i, st := range steps {
		if st.Advance != 0 {
			require.NotNil(t, clock, "step %d %q moves a clock", i, st.Name)
			clock.Advance(st.Advance)
		}
		got := s.Call(t, st.Path, strings.ReplaceAll(st.Body, "<cursor>", cursor))
		if m := cursorField.FindStringSubmatch(got); m != nil && m[1] != "" {
			require.Regexp(t, `^[A-Za-z0-9_-]{40}$`, m[1], "step %d %q: cursor", i, st.Name)
			cursor = m[1]
			got = strings.Replace(got, m[0], `"NextCursor":"<cursor>"`, 1)
		}
		require.Equal(t, st.Want, got, "step %d %q: %s %s", i, st.Name, st.Path, st.Body)
		if s.Outbox != nil {
			require.Equal(t, st.Webhooks, nilIfEmpty(s.Outbox.Take()), "step %d %q: webhooks", i, st.Name)
		}
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
