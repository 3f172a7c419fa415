// Package delivery sends the outbox's webhooks at least once. A Dispatcher leases due
// deliveries, posts each with a fresh RequestTime and Sign over the byte-identical body, deletes
// it once the receiver answers HTTP 200 with a JSON envelope, and otherwise schedules the next
// attempt on the retry schedule, with jitter, until the schedule is exhausted and the delivery
// becomes a dead letter (kept with its last error, redeliverable on demand).
//
// Concurrent dispatchers, in one process or many, never send the same delivery at the same time:
// each attempt happens under a lease that expires if its dispatcher dies. Deliveries with the
// same order key (the From_Account or official account) go out in commit order.
package delivery

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// Headers every attempt carries besides Tencent's query string.
const (
	HeaderDeliveryID = "X-Chat-Delivery-Id" // stable across the attempts of one delivery
	HeaderAttempt    = "X-Chat-Attempt"     // 1 for the first attempt
)

// Tuning of a Dispatcher.
const (
	batchSize   = 64               // deliveries leased at once
	workers     = webhook.MaxConns // attempts in flight at once, one connection each
	idlePoll    = time.Second      // how often an idle Run looks for deliveries that became due
	maxErrorLen = 500              // bytes of an attempt's error kept with the delivery
)

// Dispatcher delivers the outbox of one store to one target.
type Dispatcher struct {
	st     store.Store
	sender *webhook.Sender
	retry  []time.Duration
	lease  time.Duration // how long an attempt may hold its delivery
	budget time.Duration // the inline attempt budget of Deliver
	owner  string        // this dispatcher's lease name
	now    func() time.Time
	log    *slog.Logger
	wake   chan struct{}
}

// New returns a Dispatcher. timeout bounds each attempt (and all of Deliver's inline attempts
// together); retry is the delay before each retry.
func New(st store.Store, sender *webhook.Sender, timeout time.Duration, retry []time.Duration, now func() time.Time, log *slog.Logger) *Dispatcher {
	var id [8]byte
	crand.Read(id[:]) // never fails (crypto/rand's documented guarantee since Go 1.24)
	return &Dispatcher{
		st:     st,
		sender: sender,
		retry:  retry,
		lease:  timeout + 3*time.Second,
		budget: timeout,
		owner:  "dispatcher-" + hex.EncodeToString(id[:]),
		now:    now,
		log:    log,
		wake:   make(chan struct{}, 1),
	}
}

// Deliver makes the first attempt of deliveries just committed, in commit order, within one
// attempt timeout in all. Those it cannot finish stay pending for the next drain. Deliver never
// fails its caller: a REST answer does not depend on its webhooks.
func (d *Dispatcher) Deliver(ctx context.Context, ids []int64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.budget)
	defer cancel()
	// One batch at most: deleting an account with 100,000 followers writes as many webhooks,
	// which the drain sends; leasing them all here would only delay the caller's answer.
	ids = ids[:min(len(ids), batchSize)]
	var leased []store.Delivery
	err := d.st.Update(ctx, func(tx store.Tx) (err error) {
		now := d.now()
		leased, err = tx.LeaseIDs(ctx, d.owner, ids, now, now.Add(d.lease))
		return err
	})
	if err != nil {
		d.log.Warn("webhook: lease for inline attempt", "err", err)
		return
	}
	failedKeys := map[string]bool{}
	for _, dl := range leased {
		if failedKeys[dl.OrderKey] || ctx.Err() != nil {
			d.release(dl) // keep the key's order: a later event waits for the earlier one
			continue
		}
		if !d.attempt(ctx, dl) {
			failedKeys[dl.OrderKey] = true
		}
	}
}

// Kick wakes Run to drain now.
func (d *Dispatcher) Kick() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run drains due deliveries until ctx ends, waking on Kick, when the next delivery falls due,
// and at least every second.
func (d *Dispatcher) Run(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := d.Drain(ctx)
		if err != nil && ctx.Err() == nil {
			d.log.Warn("webhook: drain", "err", err)
		}
		if n > 0 {
			continue
		}
		wait := idlePoll
		var next time.Time
		if err := d.st.View(ctx, func(tx store.Tx) (err error) { next, err = tx.NextDue(ctx); return err }); err == nil && !next.IsZero() {
			wait = min(wait, max(0, next.Sub(d.now())))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-d.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// Drain attempts every delivery due now, workers at a time, and returns how many it attempted.
// It stops when none is due or ctx ends.
func (d *Dispatcher) Drain(ctx context.Context) (int, error) {
	total := 0
	for ctx.Err() == nil {
		var batch []store.Delivery
		err := d.st.Update(ctx, func(tx store.Tx) (err error) {
			now := d.now()
			batch, err = tx.LeaseDue(ctx, d.owner, now, now.Add(d.lease), batchSize)
			return err
		})
		if err != nil {
			return total, err
		}
		if len(batch) == 0 {
			return total, nil
		}
		d.attemptAll(ctx, batch)
		total += len(batch)
	}
	return total, ctx.Err()
}

// attemptAll attempts a leased batch with at most workers in flight. A batch holds at most one
// delivery per order key, so their order cannot be broken here.
func (d *Dispatcher) attemptAll(ctx context.Context, batch []store.Delivery) {
	var delivered []int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	for _, dl := range batch {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := d.send(ctx, dl); err != nil {
				d.fail(dl, err)
				return
			}
			mu.Lock()
			delivered = append(delivered, dl.ID)
			mu.Unlock()
		}()
	}
	wg.Wait()
	d.done(delivered)
}

// attempt makes one attempt of a leased delivery and records its outcome.
func (d *Dispatcher) attempt(ctx context.Context, dl store.Delivery) bool {
	if err := d.send(ctx, dl); err != nil {
		d.fail(dl, err)
		return false
	}
	d.done([]int64{dl.ID})
	return true
}

// send posts one attempt. Any HTTP 200 answer whose body is a JSON object with ActionStatus
// counts as delivered, whatever its ErrorCode (after-webhooks ignore it).
func (d *Dispatcher) send(ctx context.Context, dl store.Delivery) error {
	id := DeliveryID(dl.ID)
	h := http.Header{}
	h.Set(HeaderDeliveryID, id)
	h.Set(HeaderAttempt, strconv.Itoa(dl.Attempts+1))
	_, err := d.sender.Send(ctx, webhook.Call{Command: dl.Command, Body: dl.Body, ClientIP: dl.ClientIP, Platform: dl.Platform}, id, h)
	return err
}

// DeliveryID is the name of a delivery in headers and tools.
func DeliveryID(id int64) string { return "dlv_" + strconv.FormatInt(id, 10) }

// done removes delivered deliveries. Results are recorded outside the caller's context, so a
// delivery that was sent is never left looking unsent because the caller went away.
func (d *Dispatcher) done(ids []int64) {
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.st.Update(ctx, func(tx store.Tx) error { return tx.Delivered(ctx, d.owner, ids) }); err != nil {
		// The lease expires and the deliveries are sent again: at least once, never lost.
		d.log.Warn("webhook: record delivered", "err", err)
	}
}

// fail records a failed attempt and schedules the next one, or makes the delivery dead.
func (d *Dispatcher) fail(dl store.Delivery, cause error) {
	attempts := dl.Attempts + 1
	var next time.Time
	if attempts <= len(d.retry) {
		next = d.now().Add(jitter(d.retry[attempts-1]))
	}
	msg := cause.Error()
	if len(msg) > maxErrorLen {
		msg = msg[:maxErrorLen]
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.st.Update(ctx, func(tx store.Tx) error { return tx.Failed(ctx, d.owner, dl.ID, attempts, msg, next) }); err != nil {
		d.log.Warn("webhook: record failed attempt", "delivery", dl.ID, "err", err)
	}
	if next.IsZero() {
		d.log.Warn("webhook: dead letter", "delivery", DeliveryID(dl.ID), "command", dl.Command, "attempts", attempts, "err", msg)
	}
}

// release gives a leased delivery back untried, due now.
func (d *Dispatcher) release(dl store.Delivery) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := d.st.Update(ctx, func(tx store.Tx) error {
		return tx.Failed(ctx, d.owner, dl.ID, dl.Attempts, dl.LastError, d.now())
	})
	if err != nil {
		d.log.Warn("webhook: release", "delivery", dl.ID, "err", err)
	}
}

// jitter spreads a retry delay by up to 10% either way, so receivers coming back are not hit by
// every retry at once.
func jitter(delay time.Duration) time.Duration {
	if delay <= 0 {
		return 0
	}
	spread := int64(delay) / 10
	return delay + time.Duration(rand.Int64N(2*spread+1)-spread)
}
