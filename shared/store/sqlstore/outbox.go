package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
)

func (t *tx) Enqueue(ctx context.Context, d store.NewDelivery) (int64, error) {
	var id int64
	created := d.CreatedAt.UnixMilli()
	err := t.queryRow(ctx, `INSERT INTO deliveries (command, body, client_ip, platform, order_key, created_at, due_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
		d.Command, string(d.Body), d.ClientIP, d.Platform, d.OrderKey, created).Scan(&id)
	return id, err
}

// enqueueChunk is how many deliveries one INSERT writes: few statements even for the 100,000
// webhooks of deleting a celebrity account, with a parameter of bounded size.
const enqueueChunk = 1000

// Both insert a JSON array of [command, body, client_ip, platform, order_key, created_at] rows,
// in array order, so the IDs grow in the order of the array.
const (
	sqliteEnqueueAll = `INSERT INTO deliveries (command, body, client_ip, platform, order_key, created_at, due_at)
		SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 5
		FROM json_each($1) ORDER BY key RETURNING id`
	postgresEnqueueAll = `INSERT INTO deliveries (command, body, client_ip, platform, order_key, created_at, due_at)
		SELECT e.v ->> 0, e.v ->> 1, e.v ->> 2, e.v ->> 3, e.v ->> 4, (e.v ->> 5)::bigint, (e.v ->> 5)::bigint
		FROM json_array_elements($1::json) WITH ORDINALITY AS e(v, n) ORDER BY e.n RETURNING id`
)

func (t *tx) EnqueueAll(ctx context.Context, ds []store.NewDelivery) ([]int64, error) {
	q := sqliteEnqueueAll
	if t.s.d.name == "postgres" {
		q = postgresEnqueueAll
	}
	ids := make([]int64, 0, len(ds))
	rows := make([][6]any, 0, min(len(ds), enqueueChunk))
	for start := 0; start < len(ds); start += enqueueChunk {
		rows = rows[:0]
		for _, d := range ds[start:min(start+enqueueChunk, len(ds))] {
			rows = append(rows, [6]any{d.Command, string(d.Body), d.ClientIP, d.Platform, d.OrderKey, d.CreatedAt.UnixMilli()})
		}
		param, err := json.Marshal(rows)
		if err != nil {
			return nil, err
		}
		got, err := t.ids(ctx, q, string(param))
		if err != nil {
			return nil, err
		}
		if len(got) != len(rows) {
			return nil, fmt.Errorf("enqueue: %d rows written of %d", len(got), len(rows))
		}
		// RETURNING promises no order; the IDs were drawn in the order of the array.
		slices.Sort(got)
		ids = append(ids, got...)
	}
	return ids, nil
}

const deliveryColumns = `id, command, body, client_ip, platform, order_key, created_at, state, attempts, due_at, last_error`

// leasable is the condition a delivery must meet to be leased at $1: pending, due, unleased, and
// no older pending delivery with the same key (which keeps each key in commit order).
const leasable = `d.state = 0 AND d.due_at <= $1 AND d.lease_until <= $1
	AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.order_key = d.order_key AND e.state = 0 AND e.id < d.id)`

func (t *tx) LeaseDue(ctx context.Context, owner string, now, until time.Time, limit int) ([]store.Delivery, error) {
	ids, err := t.ids(ctx, `SELECT d.id FROM deliveries d WHERE `+leasable+` ORDER BY d.due_at, d.id LIMIT $2 SKIP_LOCKED`,
		now.UnixMilli(), limit)
	if err != nil {
		return nil, err
	}
	return t.lease(ctx, owner, ids, now, until)
}

func (t *tx) LeaseIDs(ctx context.Context, owner string, ids []int64, now, until time.Time) ([]store.Delivery, error) {
	ids, err := t.ids(ctx, `SELECT d.id FROM deliveries d WHERE d.id IN INTLIST($2) AND `+leasable+` ORDER BY d.id SKIP_LOCKED`,
		now.UnixMilli(), intList(ids))
	if err != nil {
		return nil, err
	}
	return t.lease(ctx, owner, ids, now, until)
}

func (t *tx) lease(ctx context.Context, owner string, ids []int64, now, until time.Time) ([]store.Delivery, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := t.query(ctx, `UPDATE deliveries SET lease_owner = $1, lease_until = $2
		WHERE id IN INTLIST($3) AND lease_until <= $4 RETURNING `+deliveryColumns,
		owner, until.UnixMilli(), intList(ids), now.UnixMilli())
	if err != nil {
		return nil, err
	}
	leased, err := scanDeliveries(rows)
	if err != nil {
		return nil, err
	}
	// RETURNING gives no order; callers rely on the order of ids.
	byID := make(map[int64]store.Delivery, len(leased))
	for _, d := range leased {
		byID[d.ID] = d
	}
	out := make([]store.Delivery, 0, len(leased))
	for _, id := range ids {
		if d, ok := byID[id]; ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// Delivered keeps the delivered webhooks in the history (history.go), delivered now.
func (t *tx) Delivered(ctx context.Context, owner string, ids []int64) error {
	return t.DeliveredAt(ctx, owner, ids, time.Now())
}

func (t *tx) Failed(ctx context.Context, owner string, id int64, attempts int, lastError string, next time.Time) error {
	state, due := store.Pending, next.UnixMilli()
	if next.IsZero() {
		state, due = store.Dead, 0
	}
	_, err := t.exec(ctx, `UPDATE deliveries SET state = $1, attempts = $2, last_error = $3, due_at = $4, lease_owner = '', lease_until = 0
		WHERE id = $5 AND lease_owner = $6`, int(state), attempts, lastError, due, id, owner)
	return err
}

func (t *tx) NextDue(ctx context.Context) (time.Time, error) {
	var due sql.NullInt64
	if err := t.queryRow(ctx, `SELECT MIN(due_at) FROM deliveries WHERE state = 0`).Scan(&due); err != nil {
		return time.Time{}, err
	}
	if !due.Valid {
		return time.Time{}, nil
	}
	return time.UnixMilli(due.Int64), nil
}

func (t *tx) Deliveries(ctx context.Context, state store.DeliveryState, limit int) ([]store.Delivery, error) {
	rows, err := t.query(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE state = $1 ORDER BY id LIMIT $2`, int(state), limit)
	if err != nil {
		return nil, err
	}
	return scanDeliveries(rows)
}

func (t *tx) Redeliver(ctx context.Context, id int64, now time.Time) (int, error) {
	q := `UPDATE deliveries SET state = 0, attempts = 0, due_at = $1, lease_owner = '', lease_until = 0 WHERE state = 2`
	args := []any{now.UnixMilli()}
	if id != 0 {
		q += ` AND id = $2`
		args = append(args, id)
	}
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (t *tx) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func scanDeliveries(rows *sql.Rows) ([]store.Delivery, error) {
	defer rows.Close()
	var out []store.Delivery
	for rows.Next() {
		var d store.Delivery
		var body string
		var created, due int64
		var state int
		if err := rows.Scan(&d.ID, &d.Command, &body, &d.ClientIP, &d.Platform, &d.OrderKey, &created, &state, &d.Attempts, &due, &d.LastError); err != nil {
			return nil, err
		}
		d.Body, d.CreatedAt, d.State, d.DueAt = []byte(body), time.UnixMilli(created), store.DeliveryState(state), time.UnixMilli(due)
		out = append(out, d)
	}
	return out, rows.Err()
}

// intList encodes ids for an IN INTLIST($n) parameter.
func intList(ids []int64) string {
	if len(ids) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ids) // an []int64 always encodes
	return string(b)
}
