package store

import (
	"context"
	"time"
)

// ReceiverStore is the receivers' own store: their event log and mirror, with a migration set
// of its own, on RECEIVER_DATABASE_URL. It shares nothing with Store but, when both are on one
// database, the database (the local server's default).
type ReceiverStore interface {
	// Update runs fn in a read-write transaction and commits when fn returns nil; on a server
	// database it may run fn again after a serialization conflict.
	Update(ctx context.Context, fn func(ReceiverTx) error) error
	// View runs fn in a read-only transaction that sees one consistent snapshot.
	View(ctx context.Context, fn func(ReceiverTx) error) error
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// Close releases what the store opened (nothing when it shares the server's database
	// handle).
	Close() error
}

// ReceiverTx is the persistence of the webhook receivers: the event log of every verified
// webhook, and the mirror the app backend keeps of follows, official accounts and subscriptions.
//
// The mirror is a set of facts (an edge exists, an official account exists, its info is ...),
// each remembering the EventTime of the event that last set it. The Set and Put methods change a
// fact only with an event at least as recent as that one: last writer wins by EventTime, and at
// equal times the later call wins. Events that arrive late, out of order or twice therefore
// converge to the same mirror, and replaying the log in its order rebuilds it exactly.
type ReceiverTx interface {
	// RecordEvent appends e to the log unless the same event is there: same Command and
	// BodyHash (and so the same EventTime, which is part of the body). It returns the stored
	// event and true for a new one; for a duplicate it counts one more delivery and returns the
	// event as first recorded (its Answer included) and false.
	RecordEvent(ctx context.Context, e ReceivedEvent) (ReceivedEvent, bool, error)
	// FindReceivedEvent returns the logged event with eventTime, command and bodyHash, or
	// ErrNotFound.
	FindReceivedEvent(ctx context.Context, eventTime int64, command, bodyHash string) (ReceivedEvent, error)
	// ReceivedEvents lists logged events in log order (see EventQuery).
	ReceivedEvents(ctx context.Context, q EventQuery) ([]ReceivedEvent, error)
	// PruneEvents deletes up to limit of the oldest logged events first received before
	// before, never the newest event of the log (its id keeps later ids increasing), and
	// returns how many it deleted. The mirror is not touched.
	PruneEvents(ctx context.Context, before time.Time, limit int) (int, error)

	// SetMirrorFollows makes each edge from -> tos present or absent as of at.
	SetMirrorFollows(ctx context.Context, from string, tos []string, present bool, at int64) error
	// SetMirrorSubscriptions makes each subscription of subscribers to official present or
	// absent as of at.
	SetMirrorSubscriptions(ctx context.Context, official string, subscribers []string, present bool, at int64) error
	// EndMirrorSubscriptions makes every subscription to official last set at or before at
	// absent as of at (the official account was destroyed then).
	EndMirrorSubscriptions(ctx context.Context, official string, at int64) error
	// LockMirrorOfficialAccount returns the mirror row of official account id, locked until the
	// transaction ends; a row with only its ID (all times zero) is created first when missing.
	// The caller applies its event and writes the row back with PutMirrorOfficialAccount.
	LockMirrorOfficialAccount(ctx context.Context, id string) (MirrorOfficialAccount, error)
	// PutMirrorOfficialAccount writes back a row read with LockMirrorOfficialAccount.
	PutMirrorOfficialAccount(ctx context.Context, oa MirrorOfficialAccount) error

	// MirrorFollows lists the edges from account from ("" for every account), absent ones
	// included, ordered by (From, To).
	MirrorFollows(ctx context.Context, from string) ([]MirrorFollow, error)
	// MirrorSubscriptions lists the subscriptions to official ("" for every official account),
	// absent ones included, ordered by (Official, Subscriber).
	MirrorSubscriptions(ctx context.Context, official string) ([]MirrorSubscription, error)
	// MirrorOfficialAccounts lists every official account of the mirror, ordered by ID.
	MirrorOfficialAccounts(ctx context.Context) ([]MirrorOfficialAccount, error)
	// ResetMirror empties the mirror (not the log), before the log is replayed into it.
	ResetMirror(ctx context.Context) error
}

// ReceivedEvent is one verified webhook of the receivers' log.
type ReceivedEvent struct {
	ID             int64 // the position in the log, set by RecordEvent
	Command        string
	BodyHash       string // lower-case hex SHA-256 of Body: with Command, what identifies the event
	Body           []byte // the body as received
	EventTime      int64  // the body's EventTime, Unix milliseconds
	ClientIP       string // the query's ClientIP
	Platform       string // the query's OptPlatform
	ReceivedAt     time.Time
	Answer         []byte // the answer body sent; empty for the plain OK envelope
	Deliveries     int64  // how many times the event was received; set by RecordEvent
	LastReceivedAt time.Time
}

// EventQuery selects events of the log: those after ID After (0: from the start), at most Limit
// (0: all) in log order; with Newest, the Limit newest of them, still in log order.
type EventQuery struct {
	After  int64
	Limit  int
	Newest bool
}

// MirrorFollow is a follow edge of the mirror: From follows To when Present.
type MirrorFollow struct {
	From, To string
	Present  bool
	At       int64 // EventTime (ms) of the event that last set it
}

// MirrorSubscription is a subscription of the mirror: Subscriber subscribes to Official when
// Present.
type MirrorSubscription struct {
	Official, Subscriber string
	Present              bool
	At                   int64 // EventTime (ms) of the event that last set it
}

// MirrorOfficialAccount is an official account of the mirror. Its facts have their own times.
type MirrorOfficialAccount struct {
	ID           string
	Owner        string
	Name         string
	Introduction string
	FaceURL      string
	Organization string
	OwnerAt      int64 // EventTime (ms) of the event that last set Owner
	NameAt       int64 // ... Name
	ProfileAt    int64 // ... Introduction, FaceURL and Organization
	Present      bool  // exists, as of StateAt
	StateAt      int64 // EventTime (ms) of the event that last set Present
	DestroyedAt  int64 // EventTime (ms) of its latest destruction; 0: never destroyed
	FullAt       int64 // EventTime (ms) it was last reported full; 0: never
}
