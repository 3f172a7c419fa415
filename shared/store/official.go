package store

import (
	"context"
	"time"
)

// OfficialTx is the persistence of official accounts and their subscriptions. SubscriberNum is
// kept equal to the subscription rows by the store; the subscriber limit is a business rule the
// functions check while holding the official account's row (OfficialAccounts inside Update).
//
// Lock order: a transaction that locks accounts and official accounts locks the accounts first.
type OfficialTx interface {
	// OfficialAccounts returns the official accounts among ids, keyed by ID. Inside Update on a
	// server database the rows are locked, in ID order, until the transaction ends.
	OfficialAccounts(ctx context.Context, ids []string) (map[string]OfficialAccount, error)
	// CreateOfficialAccount inserts oa with no subscribers. It reports false, and changes
	// nothing, when the ID is taken.
	CreateOfficialAccount(ctx context.Context, oa OfficialAccount) (bool, error)
	// UpdateOfficialAccount rewrites the writable fields of an existing official account (Name,
	// Introduction, FaceURL, Organization, CustomString, MaxSubscribers). ErrNotFound if absent.
	UpdateOfficialAccount(ctx context.Context, oa OfficialAccount) error
	// DestroyOfficialAccount removes an official account and every subscription to it.
	// ErrNotFound if absent.
	DestroyOfficialAccount(ctx context.Context, id string) error

	// Subscriptions returns the subscriptions to official among subscribers, keyed by subscriber.
	Subscriptions(ctx context.Context, official string, subscribers []string) (map[string]Subscription, error)
	// Subscribe subscribes each of subscribers to official at the given time, in order, and
	// returns the ones newly subscribed (existing subscriptions are left as they are).
	Subscribe(ctx context.Context, official string, subscribers []string, at time.Time) ([]string, error)
	// Unsubscribe removes the subscriptions of subscribers to official and returns, in the
	// order given, the subscribers whose subscription existed.
	Unsubscribe(ctx context.Context, official string, subscribers []string) ([]string, error)
	// SetSubscriptionCustomString rewrites a subscription's CustomString. ErrNotFound if the
	// subscription does not exist.
	SetSubscriptionCustomString(ctx context.Context, official, subscriber, value string) error

	// SubscriberPage lists up to limit subscriptions to official, newest first, starting after
	// (older than) the one numbered after; after 0 starts at the newest. limit 0 means all.
	// Subscriptions made once a listing started come before its first page, so paging through
	// never repeats nor misses an entry however subscriptions change meanwhile.
	SubscriberPage(ctx context.Context, official string, after int64, limit int) ([]Subscription, error)
	// SubscribedPage lists up to limit of subscriber's subscriptions, each with its official
	// account, ordered by subscription time, newest first (ties: the later subscription first),
	// skipping the first offset of them (docs/wire.md: Tencent's Offset paging).
	SubscribedPage(ctx context.Context, subscriber string, offset, limit int) ([]Subscribed, error)
	// SubscribedCount is how many official accounts subscriber subscribes to.
	SubscribedCount(ctx context.Context, subscriber string) (int64, error)
}

// OfficialAccount is an official account with its subscriber count.
type OfficialAccount struct {
	ID             string
	Owner          string
	Name           string
	Introduction   string
	FaceURL        string
	Organization   string
	CustomString   string
	MaxSubscribers int64
	Subscribers    int64 // read-only: kept equal to the subscriptions by the store
	CreatedAt      time.Time
	LastMsgAt      time.Time // zero: no message yet (this project sends no messages)
}

// MsgFlag values of a subscription.
const (
	AcceptAndNotify = "AcceptAndNotify" // the default
	AcceptNotNotify = "AcceptNotNotify"
	Discard         = "Discard"
)

// Subscription is one account's subscription to an official account. Seq is its place in the
// order subscriptions were made, unique across the store.
type Subscription struct {
	Official     string
	Subscriber   string
	Seq          int64
	SubscribedAt time.Time
	MsgFlag      string
	CustomString string
}

// Subscribed is a subscription with the official account it is to.
type Subscribed struct {
	Subscription
	Account OfficialAccount
}
