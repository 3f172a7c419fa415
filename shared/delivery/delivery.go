// Package delivery sends the outbox's webhooks at least once. A Dispatcher leases due
// deliveries, posts each with a fresh RequestTime and Sign over the byte-identical body, deletes
// it once the receiver answers HTTP 200 with a JSON envelope, and otherwise schedules the next
// attempt on the retry schedule, with jitter, until the schedule is exhausted and the delivery
// becomes a dead letter (kept with its last error, redeliverable on demand).
//
// Concurrent dispatchers, in one process or many, never send the same delivery at the same time:
// each attempt happens under a lease that expires if its dispatcher dies. Deliveries with the
// same order key (the From_Account or official account) go out in commit order.
//
// Internal to this module: not a supported API for other modules.
package delivery

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
	runSize     = 32               // deliveries of one key leased, sent in order and acknowledged together
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
	obs    Observer
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
		obs:    nopObserver{},
	}
}

// Deliver makes the first attempts of a transaction's deliveries inline, where nothing runs
// between requests (a deployed function): for each of keys (the order keys the transaction
// wrote), it leases the key's delivery first in line, attempts it and, once it is acknowledged,
// goes on with the key's next one, until the key has nothing leasable (its queue is empty, its
// head is leased by another instance or waits for a retry), an attempt fails, or the follow-on
// window ends. So an older pending delivery of the key goes first, the new one right after it,
// and a delivery committed meanwhile by another instance, whose own inline attempt found the key
// busy, is taken over as soon as the one before it is acknowledged, within no tick
// (docs/delivery.md, Lag). Keys go in parallel, workers at a time.
//
// New attempts start only during the first half of the budget (one attempt timeout), and every
// attempt gets its whole timeout, so an attempt to a healthy receiver is never cut short and
// counted as failed. What this adds to the caller's answer is therefore at most 1.5 attempt
// timeouts plus recording the last results. Deliver never fails its caller: a REST answer does
// not depend on its webhooks.
func (d *Dispatcher) Deliver(ctx context.Context, keys []string) {
	ctx = context.WithoutCancel(ctx)
	until := time.Now().Add(d.budget / 2)
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	// One batch of keys at most: deleting an account with 100,000 followers writes webhooks of
	// as many keys, which the drain sends; following them all here would only delay the answer.
	keys = keys[:min(len(keys), batchSize)]
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for _, key := range keys {
		sem <- struct{}{}
		if time.Now().After(until) {
			<-sem
			break // the rest wait for the drain, like a key whose head another instance holds
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			d.followKey(ctx, key, until)
		}()
	}
	wg.Wait()
}

// followKey leases key's first pending delivery and follows the key from there (follow),
// starting no attempt after until. It leases the head alone, like pump: the common inline case is
// a key with nothing behind its new delivery, and asking for a run would cost it one more
// statement (localserver/e2e/roundtrip_test.go); the first acknowledgement leases the run behind.
func (d *Dispatcher) followKey(ctx context.Context, key string, until time.Time) {
	var leased []store.Delivery
	var leaseEnd time.Time
	lctx, cancel := context.WithTimeout(ctx, d.budget)
	err := d.st.Update(lctx, func(tx store.Tx) (err error) {
		now := d.now()
		leaseEnd = now.Add(d.lease)
		leased, err = tx.LeaseKeys(lctx, d.owner, []string{key}, now, leaseEnd)
		return err
	})
	cancel()
	if err != nil {
		d.log.Warn("webhook: lease for inline attempt", "err", err)
		return
	}
	d.follow(ctx, leased, leaseEnd, until)
}

// follow attempts run, leased deliveries of one key in id order held until leaseEnd, one after
// the other, then records the results and leases the key's next run in one transaction (settle),
// so a busy key costs one store transaction per run rather than per delivery (docs/delivery.md,
// Lag). Within a run an attempt starts only while it can end before the lease does, so no other
// dispatcher can take the key over while a run is still going out. It stops when the key has
// nothing leasable, an attempt fails, ctx ends, or (unless until is zero) at until; the first
// attempt of a run is always made, as it was leased to be.
func (d *Dispatcher) follow(ctx context.Context, run []store.Delivery, leaseEnd, until time.Time) {
	for len(run) > 0 {
		var (
			sent    []store.Attempt
			failAt  store.Attempt
			failErr error
		)
		for i, dl := range run {
			if i > 0 && (ctx.Err() != nil || (!until.IsZero() && !time.Now().Before(until)) || d.now().Add(d.budget).After(leaseEnd)) {
				break
			}
			at, err := d.send(ctx, dl)
			if err != nil {
				failAt, failErr = at, err
				break
			}
			sent = append(sent, at)
		}
		more := failErr == nil && ctx.Err() == nil && (until.IsZero() || time.Now().Before(until))
		run, leaseEnd = d.settle(run, sent, failAt, failErr, more)
	}
}

// settle records a run's outcome in one transaction: the acknowledged first len(sent)
// deliveries of run move to the history; the one after them, if failErr, gets its failed
// attempt and its retry schedule (it stays the key's head); the rest of the run, not attempted,
// is released so it is leasable at once; and, when more, the key's next run is leased, which it
// returns with its lease end. Results are recorded outside the caller's context, so a delivery
// that was sent is never left looking unsent because the caller went away.
func (d *Dispatcher) settle(run []store.Delivery, sent []store.Attempt, failAt store.Attempt, failErr error, more bool) ([]store.Delivery, time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var (
		next     []store.Delivery
		attempts = slices.Clone(sent)
		done     = make([]int64, len(sent))
		rest     []int64
		failed   store.Delivery
		tries    int
		retryAt  time.Time
		msg      string
	)
	for i := range sent {
		done[i] = run[i].ID
	}
	after := len(sent)
	if failErr != nil {
		failed = run[after]
		attempts = append(attempts, failAt)
		tries = failed.Attempts + 1
		if tries <= len(d.retry) {
			retryAt = d.now().Add(jitter(d.retry[tries-1]))
		}
		msg = truncate(failErr.Error())
		after++
	}
	for _, dl := range run[after:] {
		rest = append(rest, dl.ID)
	}
	now := d.now()
	leaseEnd := now.Add(d.lease)
	err := d.st.Update(ctx, func(tx store.Tx) (err error) {
		if err := tx.RecordAttempts(ctx, attempts); err != nil {
			return err
		}
		if err := tx.DeliveredAt(ctx, d.owner, done, now); err != nil {
			return err
		}
		if failErr != nil {
			if err := tx.Failed(ctx, d.owner, failed.ID, tries, msg, retryAt); err != nil {
				return err
			}
		}
		if err := tx.Release(ctx, d.owner, rest, now); err != nil {
			return err
		}
		if !more {
			return nil
		}
		next, err = tx.LeaseRuns(ctx, d.owner, []string{run[0].OrderKey}, now, leaseEnd, runSize)
		return err
	})
	if err != nil {
		// The leases expire and the deliveries are sent again: at least once, never lost.
		d.log.Warn("webhook: record run", "delivered", len(done), "failed", failErr != nil, "err", err)
		return nil, time.Time{}
	}
	for _, dl := range run[:len(sent)] {
		d.obs.Delivered(now.Sub(dl.CreatedAt))
	}
	if failErr != nil && retryAt.IsZero() {
		d.log.Warn("webhook: dead letter", "delivery", DeliveryID(failed.ID), "command", failed.Command, "attempts", tries, "err", msg)
	}
	return next, leaseEnd
}

// Kick wakes Run to lease now.
func (d *Dispatcher) Kick() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers due deliveries until ctx ends. Attempts are independent: each leased delivery
// is attempted in a goroutine of its own, workers at a time, which goes on with its key's next
// deliveries as each is acknowledged (follow); Run leases again as soon as a slot is free, so a
// slow or failing answer holds up only its own key (docs/delivery.md). It wakes on Kick (a
// commit), when a goroutine ends, when the next delivery falls due, and at least every second.
func (d *Dispatcher) Run(ctx context.Context) {
	d.pump(ctx, d.wake, false)
}

// Drain attempts every delivery due now, as Run does, and returns how many it attempted once
// none is due and none is in flight, or when ctx ends.
func (d *Dispatcher) Drain(ctx context.Context) (int, error) {
	return d.pump(ctx, make(chan struct{}, 1), true)
}

// pump is the loop of Run and Drain: lease up to the free slots, start one goroutine per
// delivery, wait for a slot, a wake-up or the next due time.
func (d *Dispatcher) pump(ctx context.Context, wake chan struct{}, drain bool) (int, error) {
	var (
		wg       sync.WaitGroup
		inFlight atomic.Int64
		total    int
		lastErr  error
	)
	defer wg.Wait()
	poke := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	for ctx.Err() == nil {
		free := workers - int(inFlight.Load())
		var batch []store.Delivery
		var leaseEnd time.Time
		if free > 0 {
			err := d.st.Update(ctx, func(tx store.Tx) (err error) {
				now := d.now()
				leaseEnd = now.Add(d.lease)
				batch, err = tx.LeaseDue(ctx, d.owner, now, leaseEnd, min(free, batchSize))
				return err
			})
			if err != nil && ctx.Err() == nil {
				d.log.Warn("webhook: lease", "err", err)
				lastErr = err
			}
		}
		for _, dl := range batch {
			inFlight.Add(1)
			wg.Add(1)
			go func() {
				defer func() { inFlight.Add(-1); wg.Done(); poke() }()
				// A head alone: its first acknowledgement leases the run behind it.
				d.follow(ctx, []store.Delivery{dl}, leaseEnd, time.Time{})
			}()
		}
		total += len(batch)
		if len(batch) > 0 && len(batch) == free {
			continue // slots were the limit: more may be due
		}
		if drain && len(batch) == 0 && inFlight.Load() == 0 {
			return total, lastErr
		}
		wait := idlePoll
		if len(batch) == 0 && !drain {
			var next time.Time
			if err := d.st.View(ctx, func(tx store.Tx) (err error) { next, err = tx.NextDue(ctx); return err }); err == nil && !next.IsZero() {
				wait = min(wait, max(0, next.Sub(d.now())))
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
	return total, ctx.Err()
}

// send posts one attempt and returns it as the history keeps it. Any HTTP 200 answer whose body
// is a JSON object with ActionStatus counts as delivered, whatever its ErrorCode (after-webhooks
// ignore it).
func (d *Dispatcher) send(ctx context.Context, dl store.Delivery) (store.Attempt, error) {
	id := DeliveryID(dl.ID)
	h := http.Header{}
	h.Set(HeaderDeliveryID, id)
	h.Set(HeaderAttempt, strconv.Itoa(dl.Attempts+1))
	var ex webhook.Exchange
	at := d.now()
	_, err := d.sender.SendRecorded(ctx, webhook.Call{Command: dl.Command, Body: dl.Body, ClientIP: dl.ClientIP, Platform: dl.Platform}, id, h, &ex)
	a := store.Attempt{DeliveryID: dl.ID, At: at, Status: ex.Status, Latency: ex.Latency, Answer: ex.Text(), Request: ex.Request}
	if err != nil {
		a.Error = truncate(err.Error())
	}
	d.obs.Attempt(dl.Command, err == nil)
	return a, err
}

// DeliveryID is the name of a delivery in headers and tools.
func DeliveryID(id int64) string { return "dlv_" + strconv.FormatInt(id, 10) }

// jitter spreads a retry delay by up to 10% either way, so receivers coming back are not hit by
// every retry at once.
func jitter(delay time.Duration) time.Duration {
	if delay <= 0 {
		return 0
	}
	spread := int64(delay) / 10
	return delay + time.Duration(rand.Int64N(2*spread+1)-spread)
}

// truncate bounds an attempt's error as it is kept.
func truncate(msg string) string {
	if len(msg) > maxErrorLen {
		return strings.ToValidUTF8(msg[:maxErrorLen], "")
	}
	return msg
}
