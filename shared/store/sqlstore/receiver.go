package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
)

const receivedEventColumns = `id, command, body_hash, body, event_time, client_ip, platform, received_at, answer, deliveries, last_received_at`

func (t *tx) RecordEvent(ctx context.Context, e store.ReceivedEvent) (store.ReceivedEvent, bool, error) {
	received := e.ReceivedAt.UnixMilli()
	err := t.queryRow(ctx, `INSERT INTO receiver_events
		(command, body_hash, body, event_time, client_ip, platform, received_at, answer, last_received_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7)
		ON CONFLICT (event_time, command, body_hash) DO NOTHING RETURNING id`,
		e.Command, e.BodyHash, string(e.Body), e.EventTime, e.ClientIP, e.Platform, received, string(e.Answer)).Scan(&e.ID)
	if err == nil {
		e.Deliveries = 1
		e.LastReceivedAt = time.UnixMilli(received)
		e.ReceivedAt = e.LastReceivedAt
		return e, true, nil
	}
	if !isNoRows(err) {
		return store.ReceivedEvent{}, false, fmt.Errorf("record event: %w", err)
	}
	stored, err := scanEvent(t.queryRow(ctx, `UPDATE receiver_events SET deliveries = deliveries + 1, last_received_at = $4
		WHERE event_time = $1 AND command = $2 AND body_hash = $3 RETURNING `+receivedEventColumns, e.EventTime, e.Command, e.BodyHash, received))
	if err != nil {
		return store.ReceivedEvent{}, false, fmt.Errorf("record duplicate event: %w", err)
	}
	return stored, false, nil
}

func (t *tx) FindReceivedEvent(ctx context.Context, eventTime int64, command, bodyHash string) (store.ReceivedEvent, error) {
	e, err := scanEvent(t.queryRow(ctx, `SELECT `+receivedEventColumns+` FROM receiver_events
		WHERE event_time = $1 AND command = $2 AND body_hash = $3`, eventTime, command, bodyHash))
	if isNoRows(err) {
		return store.ReceivedEvent{}, store.ErrNotFound
	}
	return e, err
}

func (t *tx) ReceivedEvents(ctx context.Context, q store.EventQuery) ([]store.ReceivedEvent, error) {
	limit := int64(q.Limit)
	if limit <= 0 {
		limit = math.MaxInt64
	}
	query := `SELECT ` + receivedEventColumns + ` FROM receiver_events WHERE id > $1 ORDER BY id LIMIT $2`
	if q.Newest {
		query = `SELECT ` + receivedEventColumns + ` FROM (SELECT ` + receivedEventColumns + ` FROM receiver_events
			WHERE id > $1 ORDER BY id DESC LIMIT $2) AS newest ORDER BY id`
	}
	rows, err := t.query(ctx, query, q.After, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ReceivedEvent
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// scanEvent reads the receivedEventColumns of one row.
func scanEvent(row interface{ Scan(...any) error }) (store.ReceivedEvent, error) {
	var (
		e                  store.ReceivedEvent
		body, answer       string
		received, lastSeen int64
	)
	err := row.Scan(&e.ID, &e.Command, &e.BodyHash, &body, &e.EventTime, &e.ClientIP, &e.Platform,
		&received, &answer, &e.Deliveries, &lastSeen)
	if err != nil {
		return store.ReceivedEvent{}, err
	}
	e.Body = []byte(body)
	if answer != "" {
		e.Answer = []byte(answer)
	}
	e.ReceivedAt = time.UnixMilli(received)
	e.LastReceivedAt = time.UnixMilli(lastSeen)
	return e, nil
}

func (t *tx) SetMirrorFollows(ctx context.Context, from string, tos []string, present bool, at int64) error {
	return t.setEach(ctx, "mirror follow", `INSERT INTO receiver_follows (from_id, to_id, present, event_time) VALUES ($1, $2, $3, $4)
			ON CONFLICT (from_id, to_id) DO UPDATE SET present = excluded.present, event_time = excluded.event_time
			WHERE receiver_follows.event_time <= excluded.event_time`, from, tos, present, at)
}

func (t *tx) SetMirrorSubscriptions(ctx context.Context, official string, subscribers []string, present bool, at int64) error {
	return t.setEach(ctx, "mirror subscription", `INSERT INTO receiver_subscriptions (official_id, subscriber_id, present, event_time) VALUES ($1, $2, $3, $4)
			ON CONFLICT (official_id, subscriber_id) DO UPDATE SET present = excluded.present, event_time = excluded.event_time
			WHERE receiver_subscriptions.event_time <= excluded.event_time`, official, subscribers, present, at)
}

// setEach runs upsert with key, one of items, present and at as $1 to $4, one statement per
// item, so that a list naming an item twice cannot make one upsert touch a row twice (which
// PostgreSQL refuses).
func (t *tx) setEach(ctx context.Context, what, upsert, key string, items []string, present bool, at int64) error {
	for _, item := range items {
		if _, err := t.exec(ctx, upsert, key, item, present, at); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}

func (t *tx) EndMirrorSubscriptions(ctx context.Context, official string, at int64) error {
	_, err := t.exec(ctx, `UPDATE receiver_subscriptions SET present = $3, event_time = $2
		WHERE official_id = $1 AND event_time <= $2`, official, at, false)
	if err != nil {
		return fmt.Errorf("mirror end subscriptions: %w", err)
	}
	return nil
}

const mirrorOfficialColumns = `official_id, owner_id, name, introduction, face_url, organization, owner_time, name_time, profile_time, present, state_time, destroyed_at, full_at`

func (t *tx) LockMirrorOfficialAccount(ctx context.Context, id string) (store.MirrorOfficialAccount, error) {
	if _, err := t.exec(ctx, `INSERT INTO receiver_official_accounts (official_id) VALUES ($1)
		ON CONFLICT (official_id) DO NOTHING`, id); err != nil {
		return store.MirrorOfficialAccount{}, fmt.Errorf("mirror official account: %w", err)
	}
	oa, err := scanMirrorOfficial(t.queryRow(ctx, `SELECT `+mirrorOfficialColumns+` FROM receiver_official_accounts
		WHERE official_id = $1 FOR_UPDATE`, id))
	if err != nil {
		return store.MirrorOfficialAccount{}, fmt.Errorf("mirror official account: %w", err)
	}
	return oa, nil
}

func (t *tx) PutMirrorOfficialAccount(ctx context.Context, oa store.MirrorOfficialAccount) error {
	_, err := t.exec(ctx, `UPDATE receiver_official_accounts SET owner_id = $2, name = $3, introduction = $4,
		face_url = $5, organization = $6, owner_time = $7, name_time = $8, profile_time = $9, present = $10, state_time = $11,
		destroyed_at = $12, full_at = $13
		WHERE official_id = $1`,
		oa.ID, oa.Owner, oa.Name, oa.Introduction, oa.FaceURL, oa.Organization, oa.OwnerAt, oa.NameAt, oa.ProfileAt,
		oa.Present, oa.StateAt, oa.DestroyedAt, oa.FullAt)
	if err != nil {
		return fmt.Errorf("mirror official account: %w", err)
	}
	return nil
}

func scanMirrorOfficial(row interface{ Scan(...any) error }) (store.MirrorOfficialAccount, error) {
	var oa store.MirrorOfficialAccount
	err := row.Scan(&oa.ID, &oa.Owner, &oa.Name, &oa.Introduction, &oa.FaceURL, &oa.Organization,
		&oa.OwnerAt, &oa.NameAt, &oa.ProfileAt, &oa.Present, &oa.StateAt, &oa.DestroyedAt, &oa.FullAt)
	return oa, err
}

func (t *tx) MirrorFollows(ctx context.Context, from string) ([]store.MirrorFollow, error) {
	rows, err := t.query(ctx, `SELECT from_id, to_id, present, event_time FROM receiver_follows
		WHERE $1 = '' OR from_id = $1 ORDER BY from_id, to_id`, from)
	return collectRows(rows, err, func(r *sql.Rows) (f store.MirrorFollow, err error) {
		return f, r.Scan(&f.From, &f.To, &f.Present, &f.At)
	})
}

func (t *tx) MirrorSubscriptions(ctx context.Context, official string) ([]store.MirrorSubscription, error) {
	rows, err := t.query(ctx, `SELECT official_id, subscriber_id, present, event_time FROM receiver_subscriptions
		WHERE $1 = '' OR official_id = $1 ORDER BY official_id, subscriber_id`, official)
	return collectRows(rows, err, func(r *sql.Rows) (s store.MirrorSubscription, err error) {
		return s, r.Scan(&s.Official, &s.Subscriber, &s.Present, &s.At)
	})
}

func (t *tx) MirrorOfficialAccounts(ctx context.Context) ([]store.MirrorOfficialAccount, error) {
	rows, err := t.query(ctx, `SELECT `+mirrorOfficialColumns+` FROM receiver_official_accounts ORDER BY official_id`)
	return collectRows(rows, err, func(r *sql.Rows) (store.MirrorOfficialAccount, error) { return scanMirrorOfficial(r) })
}

func (t *tx) ResetMirror(ctx context.Context) error {
	for _, table := range []string{"receiver_follows", "receiver_subscriptions", "receiver_official_accounts"} {
		if _, err := t.exec(ctx, "DELETE FROM "+table); err != nil {
			return fmt.Errorf("reset mirror: %w", err)
		}
	}
	return nil
}

// collectRows scans every row of rows with scan.
func collectRows[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (t *tx) PruneEvents(ctx context.Context, before time.Time, limit int) (int, error) {
	// A bounded subselect on the received_at index: each call is one short transaction, so
	// pruning a large backlog never holds the writer for long.
	res, err := t.exec(ctx, `DELETE FROM receiver_events WHERE id IN (
		SELECT id FROM receiver_events WHERE received_at < $1
			AND id < (SELECT MAX(id) FROM receiver_events)
		ORDER BY received_at, id LIMIT $2)`, before.UnixMilli(), limit)
	if err != nil {
		return 0, fmt.Errorf("prune events: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Receivers is the receivers' store (store.ReceiverStore) on one database: their event log
// and mirror, migrated by their own set.
type Receivers struct {
	s   *Store
	own bool // Close closes s
}

var _ store.ReceiverStore = (*Receivers)(nil)

// OpenReceivers connects to the database named by url (as Open) and applies the receivers'
// migrations only: the database gets no table of the server's.
func OpenReceivers(ctx context.Context, url string) (*Receivers, error) {
	s, err := connect(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx, receiverSchema); err != nil {
		s.Close()
		return nil, fmt.Errorf("migrate %s: %w", redact(url), err)
	}
	return &Receivers{s: s, own: true}, nil
}

// Receivers applies the receivers' migrations to the server's database and returns their
// store on it, sharing its connections (closing it leaves s open).
func (s *Store) Receivers(ctx context.Context) (*Receivers, error) {
	if err := s.migrate(ctx, receiverSchema); err != nil {
		return nil, fmt.Errorf("migrate receivers: %w", err)
	}
	return &Receivers{s: s}, nil
}

// Update runs fn in a read-write transaction, again after a serialization conflict.
func (r *Receivers) Update(ctx context.Context, fn func(store.ReceiverTx) error) error {
	return r.s.update(ctx, func(t *tx) error { return fn(t) })
}

// View runs fn in a read-only transaction.
func (r *Receivers) View(ctx context.Context, fn func(store.ReceiverTx) error) error {
	return r.s.run(ctx, false, func(t *tx) error { return fn(t) })
}

// Ping reports whether the database answers.
func (r *Receivers) Ping(ctx context.Context) error { return r.s.Ping(ctx) }

// Close releases the database if OpenReceivers opened it.
func (r *Receivers) Close() error {
	if !r.own {
		return nil
	}
	return r.s.Close()
}
