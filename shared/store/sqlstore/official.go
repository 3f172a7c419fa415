package sqlstore

import (
	"context"
	"database/sql"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
)

const officialColumns = `o.official_id, o.owner_id, o.name, o.introduction, o.face_url, o.organization, o.custom_string,
	o.max_subscribers, o.subscriber_num, o.created_at, o.last_msg_at`

// officialScan holds the officialColumns of one row while it is scanned.
type officialScan struct {
	oa               *store.OfficialAccount
	created, lastMsg int64
}

// dest are the scan destinations of the officialColumns.
func (s *officialScan) dest() []any {
	oa := s.oa
	return []any{&oa.ID, &oa.Owner, &oa.Name, &oa.Introduction, &oa.FaceURL, &oa.Organization, &oa.CustomString,
		&oa.MaxSubscribers, &oa.Subscribers, &s.created, &s.lastMsg}
}

// done converts the scanned times.
func (s *officialScan) done() {
	s.oa.CreatedAt = time.Unix(s.created, 0)
	if s.lastMsg != 0 {
		s.oa.LastMsgAt = time.Unix(s.lastMsg, 0)
	}
}

func (t *tx) OfficialAccounts(ctx context.Context, ids []string) (map[string]store.OfficialAccount, error) {
	q := `SELECT ` + officialColumns + ` FROM official_accounts o WHERE o.official_id IN LIST($1) ORDER BY o.official_id`
	if t.write {
		q += ` FOR_UPDATE`
	}
	rows, err := t.query(ctx, q, jsonList(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]store.OfficialAccount, len(ids))
	for rows.Next() {
		var oa store.OfficialAccount
		sc := officialScan{oa: &oa}
		if err := rows.Scan(sc.dest()...); err != nil {
			return nil, err
		}
		sc.done()
		out[oa.ID] = oa
	}
	return out, rows.Err()
}

func (t *tx) CreateOfficialAccount(ctx context.Context, oa store.OfficialAccount) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO official_accounts (official_id, owner_id, name, introduction, face_url, organization,
		custom_string, max_subscribers, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (official_id) DO NOTHING`,
		oa.ID, oa.Owner, oa.Name, oa.Introduction, oa.FaceURL, oa.Organization, oa.CustomString, oa.MaxSubscribers, oa.CreatedAt.Unix())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (t *tx) UpdateOfficialAccount(ctx context.Context, oa store.OfficialAccount) error {
	res, err := t.exec(ctx, `UPDATE official_accounts SET name = $2, introduction = $3, face_url = $4, organization = $5,
		custom_string = $6, max_subscribers = $7 WHERE official_id = $1`,
		oa.ID, oa.Name, oa.Introduction, oa.FaceURL, oa.Organization, oa.CustomString, oa.MaxSubscribers)
	return oneRow(res, err)
}

func (t *tx) DestroyOfficialAccount(ctx context.Context, id string) error {
	if _, err := t.exec(ctx, `DELETE FROM subscriptions WHERE official_id = $1`, id); err != nil {
		return err
	}
	res, err := t.exec(ctx, `DELETE FROM official_accounts WHERE official_id = $1`, id)
	return oneRow(res, err)
}

// oneRow turns a statement that touched no row into store.ErrNotFound.
func oneRow(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

const subscriptionColumns = `s.official_id, s.subscriber_id, s.seq, s.subscribed_at, s.msg_flag, s.custom_string`

func scanSubscription(row interface{ Scan(...any) error }, s *store.Subscription, dest ...any) error {
	var at int64
	err := row.Scan(append([]any{&s.Official, &s.Subscriber, &s.Seq, &at, &s.MsgFlag, &s.CustomString}, dest...)...)
	s.SubscribedAt = time.Unix(at, 0)
	return err
}

func (t *tx) Subscriptions(ctx context.Context, official string, subscribers []string) (map[string]store.Subscription, error) {
	rows, err := t.query(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions s
		WHERE s.official_id = $1 AND s.subscriber_id IN LIST($2)`, official, jsonList(subscribers))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]store.Subscription, len(subscribers))
	for rows.Next() {
		var s store.Subscription
		if err := scanSubscription(rows, &s); err != nil {
			return nil, err
		}
		out[s.Subscriber] = s
	}
	return out, rows.Err()
}

// subscribeQuery is the insert of n subscriptions as one statement: $1 the official account,
// $2 the time, $3.. the subscribers, in order, so that seq follows the order of the call.
func subscribeQuery(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO subscriptions (official_id, subscriber_id, subscribed_at) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("($1, $" + strconv.Itoa(i+3) + ", $2)")
	}
	b.WriteString(` ON CONFLICT (official_id, subscriber_id) DO NOTHING RETURNING subscriber_id`)
	return b.String()
}

func (t *tx) Subscribe(ctx context.Context, official string, subscribers []string, at time.Time) ([]string, error) {
	if len(subscribers) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(subscribers)+2)
	args = append(args, official, at.Unix())
	for _, s := range subscribers {
		args = append(args, s)
	}
	inserted, err := collectStrings(t.query(ctx, subscribeQuery(len(subscribers)), args...))
	if err != nil {
		return nil, err
	}
	added := inOrder(subscribers, inserted)
	return added, t.addSubscribers(ctx, official, len(added))
}

func (t *tx) Unsubscribe(ctx context.Context, official string, subscribers []string) ([]string, error) {
	if len(subscribers) == 0 {
		return nil, nil
	}
	gone, err := collectStrings(t.query(ctx, `DELETE FROM subscriptions WHERE official_id = $1 AND subscriber_id IN LIST($2)
		RETURNING subscriber_id`, official, jsonList(subscribers)))
	if err != nil {
		return nil, err
	}
	removed := inOrder(subscribers, gone)
	return removed, t.addSubscribers(ctx, official, -len(removed))
}

// addSubscribers keeps official's subscriber_num equal to its subscriptions.
func (t *tx) addSubscribers(ctx context.Context, official string, delta int) error {
	if delta == 0 {
		return nil
	}
	_, err := t.exec(ctx, `UPDATE official_accounts SET subscriber_num = subscriber_num + $2 WHERE official_id = $1`, official, delta)
	return err
}

// inOrder returns the members of set in the order of ids, each once.
func inOrder(ids, set []string) []string {
	in := make(map[string]bool, len(set))
	for _, s := range set {
		in[s] = true
	}
	out := make([]string, 0, len(set))
	for _, id := range ids {
		if in[id] {
			out = append(out, id)
			delete(in, id)
		}
	}
	return out
}

func (t *tx) SetSubscriptionCustomString(ctx context.Context, official, subscriber, value string) error {
	res, err := t.exec(ctx, `UPDATE subscriptions SET custom_string = $3 WHERE official_id = $1 AND subscriber_id = $2`,
		official, subscriber, value)
	return oneRow(res, err)
}

// pageArgs are the position and LIMIT of a newest-first page query: after 0 starts at the
// newest, limit 0 means no limit.
func pageArgs(after int64, limit int) (int64, int64) {
	if after <= 0 {
		after = math.MaxInt64
	}
	if limit <= 0 {
		return after, math.MaxInt64
	}
	return after, int64(limit)
}

// The page queries read one range of the subscriptions_official or subscriptions_subscriber
// index, backwards: $1 the official account or subscriber, $2 the position, $3 the LIMIT.
const (
	subscriberPageQuery = `SELECT ` + subscriptionColumns + ` FROM subscriptions s
		WHERE s.official_id = $1 AND s.seq < $2 ORDER BY s.seq DESC LIMIT $3`
	// Offset paging reads offset+limit entries of subscriptions_subscriber_time (migration
	// 0008), backwards: $1 the subscriber, $2 the LIMIT, $3 the OFFSET.
	subscribedPageQuery = `SELECT ` + subscriptionColumns + `, ` + officialColumns + `
		FROM subscriptions s JOIN official_accounts o ON o.official_id = s.official_id
		WHERE s.subscriber_id = $1 ORDER BY s.subscribed_at DESC, s.seq DESC LIMIT $2 OFFSET $3`
)

func (t *tx) SubscriberPage(ctx context.Context, official string, after int64, limit int) ([]store.Subscription, error) {
	before, n := pageArgs(after, limit)
	rows, err := t.query(ctx, subscriberPageQuery, official, before, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Subscription
	for rows.Next() {
		var s store.Subscription
		if err := scanSubscription(rows, &s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (t *tx) SubscribedPage(ctx context.Context, subscriber string, offset, limit int) ([]store.Subscribed, error) {
	// A subscription's official account always exists (destroying one deletes its subscriptions).
	_, n := pageArgs(0, limit)
	rows, err := t.query(ctx, subscribedPageQuery, subscriber, n, int64(max(0, offset)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Subscribed
	for rows.Next() {
		var e store.Subscribed
		sc := officialScan{oa: &e.Account}
		if err := scanSubscription(rows, &e.Subscription, sc.dest()...); err != nil {
			return nil, err
		}
		sc.done()
		out = append(out, e)
	}
	return out, rows.Err()
}

func (t *tx) SubscribedCount(ctx context.Context, subscriber string) (int64, error) {
	var n int64
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM subscriptions WHERE subscriber_id = $1`, subscriber).Scan(&n)
	return n, err
}

// removeSubscriptions deletes every subscription of subscriber, keeping each official account's
// subscriber_num exact, and returns the official accounts it was subscribed to, in ID order.
// The caller holds the subscriber's account row, so no subscription of it can be added meanwhile.
func (t *tx) removeSubscriptions(ctx context.Context, subscriber string) ([]string, error) {
	officials, err := collectStrings(t.query(ctx, `SELECT official_id FROM subscriptions WHERE subscriber_id = $1`, subscriber))
	if err != nil || len(officials) == 0 {
		return nil, err
	}
	// Lock the official accounts in ID order, as OfficialAccounts does, then delete what is
	// still there: an official account destroyed meanwhile took its subscriptions with it.
	// Only the locks are needed, not the rows (SQLite, with one writer, needs neither).
	if t.s.d.forUpdate != "" {
		rows, err := t.query(ctx, `SELECT official_id FROM official_accounts WHERE official_id IN LIST($1)
			ORDER BY official_id FOR_UPDATE`, jsonList(officials))
		if err != nil {
			return nil, err
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	// The counts first, from the subscriptions themselves: no list of ids to send back.
	if _, err := t.exec(ctx, `UPDATE official_accounts SET subscriber_num = subscriber_num - 1
		WHERE official_id IN (SELECT official_id FROM subscriptions WHERE subscriber_id = $1)`, subscriber); err != nil {
		return nil, err
	}
	gone, err := collectStrings(t.query(ctx, `DELETE FROM subscriptions WHERE subscriber_id = $1 RETURNING official_id`, subscriber))
	if err != nil || len(gone) == 0 {
		return nil, err
	}
	slices.Sort(gone)
	return gone, nil
}
