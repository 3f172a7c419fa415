package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
)

// clockChunk bounds the keys of one EventTimes statement: account_delete of an account with
// 100,000 followers stamps as many keys, so they go in as a JSON array, a thousand a statement.
const clockChunk = 1000

// The EventTimes upsert, per dialect: the keys of a JSON array, in byte order (the order Go sorts
// them in, so every transaction locks shared keys in one order), each set to max(now, last + 1).
const (
	sqliteEventTimes = `INSERT INTO event_clocks (order_key, last_ms)
		SELECT value, $1 FROM json_each($2) WHERE true ORDER BY value
		ON CONFLICT (order_key) DO UPDATE SET last_ms = GREATEST(event_clocks.last_ms + 1, excluded.last_ms)
		RETURNING order_key, last_ms`
	postgresEventTimes = `INSERT INTO event_clocks (order_key, last_ms)
		SELECT k, $1 FROM json_array_elements_text($2::json) AS k ORDER BY k COLLATE "C"
		ON CONFLICT (order_key) DO UPDATE SET last_ms = GREATEST(event_clocks.last_ms + 1, excluded.last_ms)
		RETURNING order_key, last_ms`
)

// EventTimes upserts each key's clock row to max(now, last + 1) and returns the new values.
// The upsert locks the row until the transaction ends (on PostgreSQL; SQLite has one writer), so
// transactions that issue EventTimes for the same key are serialized from here to their commit:
// the later committer reads the earlier one's value and goes strictly past it. Keys are taken in
// sorted order so two transactions with several keys cannot deadlock on them.
func (t *tx) EventTimes(ctx context.Context, keys []string, now time.Time) (map[string]int64, error) {
	q := sqliteEventTimes
	if t.s.d.name == "postgres" {
		q = postgresEventTimes
	}
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	out := make(map[string]int64, len(sorted))
	for chunk := range slices.Chunk(sorted, clockChunk) {
		param, err := json.Marshal(chunk)
		if err != nil {
			return nil, err
		}
		rows, err := t.query(ctx, q, now.UnixMilli(), string(param))
		if err != nil {
			return nil, fmt.Errorf("event clocks: %w", err)
		}
		for rows.Next() {
			var k string
			var ms int64
			if err := rows.Scan(&k, &ms); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = ms
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if len(out) != len(sorted) {
		return nil, fmt.Errorf("event clocks: %d keys, %d values", len(sorted), len(out))
	}
	return out, nil
}

// LeaseKeys leases the delivery first in line of each key, if it is leasable: the inline path
// uses it to send a key's older pending deliveries before the new one, and to go on with the
// next delivery of a key as soon as one is acknowledged. Only the key's head is looked at (the
// first entry of deliveries_order), so the cost does not grow with the key's backlog.
func (t *tx) LeaseKeys(ctx context.Context, owner string, keys []string, now, until time.Time) ([]store.Delivery, error) {
	var out []store.Delivery
	for _, key := range slices.Compact(slices.Sorted(slices.Values(keys))) {
		// One statement: on PostgreSQL a head another transaction holds is waited for and
		// looked at again once that one ends (deleted or leased by then: nothing here).
		rows, err := t.query(ctx, `UPDATE deliveries SET lease_owner = $3, lease_until = $4
			WHERE id = (SELECT MIN(e.id) FROM deliveries e WHERE e.order_key = $2 AND e.state = 0)
			AND state = 0 AND due_at <= $1 AND lease_until <= $1 RETURNING `+deliveryColumns,
			now.UnixMilli(), key, owner, until.UnixMilli())
		if err != nil {
			return nil, err
		}
		leased, err := scanDeliveries(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, leased...)
	}
	return out, nil
}
