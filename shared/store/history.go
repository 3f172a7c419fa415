package store

import (
	"context"
	"time"
)

// HistoryTx keeps what happened to webhooks after they were written: every attempt of every
// delivery, and delivered webhooks for the retention period of CHAT_DELIVERY_RETENTION
// (docs/product.md). Delivered webhooks leave the outbox, so pending and dead rows are all
// that leasing ever reads.
type HistoryTx interface {
	// RecordAttempts appends attempts to the log of their deliveries.
	RecordAttempts(ctx context.Context, attempts []Attempt) error
	// DeliveredAt moves deliveries owner still holds the lease of from the outbox to the
	// history, delivered at at.
	DeliveredAt(ctx context.Context, owner string, ids []int64, at time.Time) error
	// Attempts lists the attempts of a delivery, oldest first.
	Attempts(ctx context.Context, deliveryID int64) ([]Attempt, error)
	// Delivery returns a delivery in any state, or ErrNotFound.
	Delivery(ctx context.Context, id int64) (Delivery, error)
	// DeliveryPage lists deliveries newest first (see DeliveryQuery).
	DeliveryPage(ctx context.Context, q DeliveryQuery) ([]Delivery, error)
	// DeliveryStats counts deliveries by state and finds the oldest pending one.
	DeliveryStats(ctx context.Context) (DeliveryStats, error)
	// PruneDelivered removes up to limit delivered webhooks delivered before before, with
	// their attempts, and returns how many it removed.
	PruneDelivered(ctx context.Context, before time.Time, limit int) (int, error)
}

// Delivered is the state of a delivery in the history.
const Delivered DeliveryState = 1

// Attempt is one try to send a delivery.
type Attempt struct {
	DeliveryID int64
	At         time.Time
	Status     int // HTTP status; 0 when no answer came (timeout, connection error)
	Latency    time.Duration
	Error      string // empty when it was delivered
	Answer     string // the first 1 KiB of the answer's body
	Request    string // the URL and headers sent, secrets masked
}

// DeliveryQuery selects deliveries: in one of States (none: all), with Command and OrderKey
// when not empty, with an ID below Before when not 0; at most Limit, newest first.
type DeliveryQuery struct {
	States   []DeliveryState
	Command  string
	OrderKey string
	Before   int64
	Limit    int
}

// DeliveryStats is the state of the outbox and its history at a glance.
type DeliveryStats struct {
	Pending, Dead, Delivered int64
	OldestPending            time.Time // creation of the oldest pending delivery; zero when none
}
