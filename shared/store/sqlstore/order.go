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

// LeaseRuns leases each key's head as LeaseKeys does and, only when that returned the head, the
// rows right behind it: on PostgreSQL the head's UPDATE holds its row lock until commit, and
// LeaseDue and LeaseKeys lease heads only, so no other dispatcher can hold any of those rows.
// A key's busy stretch then costs one transaction per run instead of one per delivery.
func (t *tx) LeaseRuns(ctx context.Context, owner string, keys []string, now, until time.Time, limit int) ([]store.Delivery, error) {
	heads, err := t.LeaseKeys(ctx, owner, keys, now, until)
	if err != nil {
		return nil, err
	}
	var out []store.Delivery
	for _, h := range heads {
		out = append(out, h)
		if limit <= 1 {
			continue
		}
		behind, err := t.leaseBehind(ctx, owner, h, now, until, limit-1)
		if err != nil {
			return nil, err
		}
		out = append(out, behind...)
	}
	return out, nil
}

// leaseBehind leases up to n pending deliveries right behind head, which this transaction has
// just leased, in id order, stopping at the first one that is not due or is leased: a run never
// skips a delivery of its key.
func (t *tx) leaseBehind(ctx context.Context, owner string, head store.Delivery, now, until time.Time, n int) ([]store.Delivery, error) {
	rows, err := t.query(ctx, `SELECT id, due_at, lease_until FROM deliveries
		WHERE order_key = $1 AND state = 0 AND id > $2 ORDER BY id LIMIT $3`, head.OrderKey, head.ID, n)
	if err != nil {
		return nil, err
	}
	var ids []int64
	stop := false
	for rows.Next() {
		var id, due, leased int64
		if err := rows.Scan(&id, &due, &leased); err != nil {
			rows.Close()
			return nil, err
		}
		if due > now.UnixMilli() || leased > now.UnixMilli() {
			stop = true
		}
		if !stop {
			ids = append(ids, id)
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	got, err := t.lease(ctx, owner, ids, now, until)
	if err != nil {
		return nil, err
	}
	// lease keeps the order of ids and leaves out what it could not lease: cut the run at the
	// first gap and give the rest back.
	for i, d := range got {
		if d.ID != ids[i] {
			var rest []int64
			for _, r := range got[i:] {
				rest = append(rest, r.ID)
			}
			return got[:i], t.Release(ctx, owner, rest, now)
		}
	}
	return got, nil
}

// Release sets lease_until to now rather than leaving the rows leased until their lease ends:
// the rest of a run whose attempt failed goes out as soon as its head can.
func (t *tx) Release(ctx context.Context, owner string, ids []int64, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := t.exec(ctx, `UPDATE deliveries SET lease_owner = '', lease_until = $1
		WHERE id IN INTLIST($2) AND lease_owner = $3`, now.UnixMilli(), intList(ids), owner)
	return err
}
