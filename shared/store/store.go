// Package store is the persistence interface every function shares: accounts, follow edges and
// their counts, and the outbox of webhooks written in the same transaction as the change that
// caused them. Implementations live in sub-packages (sqlstore: SQLite and PostgreSQL).
//
// Business rules live in the functions; the store keeps only the invariants of the data itself:
// counts always equal the edges, and a transaction commits all of its changes or none.
//
// Internal to this module: not a supported API for other modules.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when a single named row does not exist.
var ErrNotFound = errors.New("store: not found")

// Store opens transactions.
type Store interface {
	// Update runs fn in a read-write transaction and commits when fn returns nil. On a server
	// database it may run fn again after a serialization conflict, so fn must have no effects
	// outside tx.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction that sees one consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	Close() error
}

// Tx is one transaction. Methods taking lists accept at most a few hundred IDs.
type Tx interface {
	// Accounts returns the imported accounts among ids, keyed by UserID. Inside Update on a
	// server database the rows are locked, in ID order, until the transaction ends.
	Accounts(ctx context.Context, ids []string) (map[string]Account, error)
	// PutAccount creates an account or rewrites the profile of an existing one (its counts and
	// creation time are kept).
	PutAccount(ctx context.Context, a Account) error
	// DeleteAccount removes an account with every follow in both directions and every
	// subscription, keeping the counts of all other accounts exact. ErrNotFound if absent.
	DeleteAccount(ctx context.Context, id string) (Removal, error)

	// Relations reports, for each of tos that is an imported account, whether from follows it
	// and whether it follows from; accounts that are not imported are absent from the map. One
	// statement answers it, so it needs no transaction of its own to be consistent.
	Relations(ctx context.Context, from string, tos []string) (map[string]Relation, error)
	// Follow makes from follow each of tos at the given time and returns the ones newly
	// followed (already-followed targets are left as they are). Follow and Unfollow lock the
	// accounts they touch, so counts stay exact whatever the caller locked.
	Follow(ctx context.Context, from string, tos []string, at time.Time) ([]string, error)
	// Unfollow removes from's follows of tos and returns the ones that existed.
	Unfollow(ctx context.Context, from string, tos []string) ([]string, error)
	// FollowPage lists one page of an account's follows, newest first (see PageQuery).
	FollowPage(ctx context.Context, q PageQuery) ([]FollowEntry, error)

	OutboxTx
	HistoryTx
	OfficialTx
}

// Account is an imported account with its profile and follow counts.
type Account struct {
	UserID     string
	Nick       string
	FaceURL    string
	ProfileSeq int64 // grows each time Nick or FaceURL changes
	Following  int64
	Followers  int64
	Mutual     int64
	CreatedAt  time.Time
}

// Relation is the follow state between two accounts, seen from the first.
type Relation struct {
	Following  bool // from follows to
	FollowedBy bool // to follows from
}

// Removal lists what deleting an account took away with it.
type Removal struct {
	Following     []string // accounts it followed
	Followers     []string // accounts that followed it
	Subscriptions []string // official accounts it was subscribed to, in ID order
}

// FollowKind selects a follow list.
type FollowKind int

// The lists of follow_get, numbered as its FollowType.
const (
	Followers FollowKind = 1
	Following FollowKind = 2
	Mutual    FollowKind = 3
)

// Position is a point in a follow list: entries strictly older than it come next. Lists are ordered
// by (Time, Seq) descending; Seq is unique, so a Position never ties with two entries. The zero
// Position is the start of the list.
type Position struct {
	Time int64 // Unix seconds
	Seq  int64 // the follow's place in the order follows were made
}

// PageQuery asks for up to Limit entries of Owner's Kind list after Position.
type PageQuery struct {
	Owner string
	Kind  FollowKind
	After Position
	Limit int
}

// FollowEntry is one row of a follow list: the other account, when the follow was made (for
// Mutual, the later of the two follows) and the other account's profile.
type FollowEntry struct {
	UserID     string
	Position   Position
	Nick       string
	FaceURL    string
	ProfileSeq int64
}

// NewDelivery is an after-webhook to deliver at least once.
type NewDelivery struct {
	Command   string // CallbackCommand
	Body      []byte // JSON body, sent byte-identical on every attempt
	ClientIP  string // the REST caller's address
	Platform  string // OptPlatform
	OrderKey  string // deliveries with the same key are sent in commit order
	CreatedAt time.Time
}
