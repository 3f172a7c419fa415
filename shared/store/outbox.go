package store

import (
	"context"
	"time"
)

// OutboxTx is the dispatcher's side of the outbox. A delivery is attempted only while its
// dispatcher holds a lease on it, so concurrent dispatchers never send the same delivery at the
// same time; a crashed dispatcher's lease simply expires. Deliveries with the same OrderKey go
// out in commit order: only the oldest pending one of each key can be leased.
type OutboxTx interface {
	// Enqueue writes a webhook delivery; it becomes visible to dispatchers only when the
	// transaction commits.
	Enqueue(ctx context.Context, d NewDelivery) (int64, error)
	// EventTimes issues the EventTime (Unix ms) of one event for each of keys (distinct order
	// keys): max(now, the last EventTime issued for that key + 1), recorded as the key's last.
	// The key's record stays locked until the transaction ends, so of two transactions writing
	// events for one key the one that commits later got the greater EventTime (docs/delivery.md).
	EventTimes(ctx context.Context, keys []string, now time.Time) (map[string]int64, error)
	// LeaseKeys leases, for each of keys, its oldest pending delivery when LeaseDue could lease
	// it (due at now and unleased), in key order.
	LeaseKeys(ctx context.Context, owner string, keys []string, now, until time.Time) ([]Delivery, error)
	// LeaseRuns leases, for each of keys, a run: the key's head as LeaseKeys would lease it
	// and, only if it did, up to limit-1 of the key's pending deliveries right behind it that
	// are due and unleased, stopping at the first that is not. The result is in key order, each
	// run in id order.
	LeaseRuns(ctx context.Context, owner string, keys []string, now, until time.Time, limit int) ([]Delivery, error)
	// Release gives up owner's leases of ids: they are leasable again at now.
	Release(ctx context.Context, owner string, ids []int64, now time.Time) error
	// EnqueueAll writes deliveries in their order with a few set-based statements (not one per
	// row) and returns their IDs in the same order.
	EnqueueAll(ctx context.Context, ds []NewDelivery) ([]int64, error)
	// LeaseDue leases up to limit pending deliveries that are due at now, unleased and first
	// in line for their key, to owner until until.
	LeaseDue(ctx context.Context, owner string, now, until time.Time, limit int) ([]Delivery, error)
	// LeaseIDs leases those of ids that LeaseDue could lease, in id order.
	LeaseIDs(ctx context.Context, owner string, ids []int64, now, until time.Time) ([]Delivery, error)
	// Delivered removes deliveries owner still holds the lease of.
	Delivered(ctx context.Context, owner string, ids []int64) error
	// Failed records a failed attempt of a delivery owner holds: the attempt count, the error,
	// and either the time of the next attempt or, when next is zero, the dead-letter state.
	Failed(ctx context.Context, owner string, id int64, attempts int, lastError string, next time.Time) error
	// NextDue is the earliest due time of a pending delivery, or the zero time when none is.
	NextDue(ctx context.Context) (time.Time, error)
	// Deliveries lists deliveries in a state, oldest first, at most limit.
	Deliveries(ctx context.Context, state DeliveryState, limit int) ([]Delivery, error)
	// Redeliver makes dead deliveries pending again, due at now with a fresh schedule: the one
	// with id, or every dead one when id is 0. It returns how many it revived.
	Redeliver(ctx context.Context, id int64, now time.Time) (int, error)
}

// DeliveryState is where a delivery is in its life; delivered ones move to the history
// (HistoryTx).
type DeliveryState int

// The states of a delivery.
const (
	Pending DeliveryState = 0
	Dead    DeliveryState = 2
)

// Delivery is a row of the outbox.
type Delivery struct {
	ID        int64
	Command   string
	Body      []byte
	ClientIP  string
	Platform  string
	OrderKey  string
	CreatedAt time.Time
	State     DeliveryState
	Attempts  int // attempts made so far
	DueAt     time.Time
	LastError string

	// DeliveredAt is set in the history only (HistoryTx).
	DeliveredAt time.Time
}
