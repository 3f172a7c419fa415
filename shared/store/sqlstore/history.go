package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
)

func (t *tx) RecordAttempts(ctx context.Context, attempts []store.Attempt) error {
	for _, a := range attempts {
		_, err := t.exec(ctx, `INSERT INTO delivery_attempts (delivery_id, attempted_at, status, latency_ms, error, answer, request)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			a.DeliveryID, a.At.UnixMilli(), a.Status, a.Latency.Milliseconds(), a.Error, a.Answer, a.Request)
		if err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) DeliveredAt(ctx context.Context, owner string, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	list := intList(ids)
	_, err := t.exec(ctx, `INSERT INTO delivered_webhooks (id, command, body, client_ip, platform, order_key, created_at, attempts, delivered_at)
		SELECT id, command, body, client_ip, platform, order_key, created_at, attempts + 1, $3
		FROM deliveries WHERE id IN INTLIST($1) AND lease_owner = $2`, list, owner, at.UnixMilli())
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `DELETE FROM deliveries WHERE id IN INTLIST($1) AND lease_owner = $2`, list, owner)
	return err
}

func (t *tx) Attempts(ctx context.Context, deliveryID int64) ([]store.Attempt, error) {
	rows, err := t.query(ctx, `SELECT delivery_id, attempted_at, status, latency_ms, error, answer, request
		FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`, deliveryID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Attempt
	for rows.Next() {
		var a store.Attempt
		var at, latency int64
		if err := rows.Scan(&a.DeliveryID, &at, &a.Status, &latency, &a.Error, &a.Answer, &a.Request); err != nil {
			return nil, err
		}
		a.At, a.Latency = time.UnixMilli(at), time.Duration(latency)*time.Millisecond
		out = append(out, a)
	}
	return out, rows.Err()
}

// historyColumns are those of deliveryColumns, with the outbox-only ones filled in, followed by
// delivered_at; outboxHistoryColumns are the same read from the outbox.
const (
	historyColumns       = `id, command, body, client_ip, platform, order_key, created_at, 1 AS state, attempts, 0 AS due_at, '' AS last_error, delivered_at`
	outboxHistoryColumns = `id, command, body, client_ip, platform, order_key, created_at, state, attempts, due_at, last_error, 0 AS delivered_at`
)

func (t *tx) Delivery(ctx context.Context, id int64) (store.Delivery, error) {
	rows, err := t.query(ctx, `SELECT `+outboxHistoryColumns+` FROM deliveries WHERE id = $1
		UNION ALL SELECT `+historyColumns+` FROM delivered_webhooks WHERE id = $1`, id)
	if err != nil {
		return store.Delivery{}, err
	}
	ds, err := scanHistory(rows)
	if err != nil {
		return store.Delivery{}, err
	}
	if len(ds) == 0 {
		return store.Delivery{}, store.ErrNotFound
	}
	return ds[0], nil
}

func (t *tx) DeliveryPage(ctx context.Context, q store.DeliveryQuery) ([]store.Delivery, error) {
	outbox, history := len(q.States) == 0, len(q.States) == 0
	var outboxStates []string
	for _, s := range q.States {
		if s == store.Delivered {
			history = true
		} else {
			outbox = true
			outboxStates = append(outboxStates, strconv.Itoa(int(s)))
		}
	}
	// Each half is filtered by its own indexes (the partial ones of the outbox, the primary
	// key of the history) before the two are merged newest first.
	var where []string
	args := []any{}
	if q.Command != "" {
		args = append(args, q.Command)
		where = append(where, "command = $"+strconv.Itoa(len(args)))
	}
	if q.OrderKey != "" {
		args = append(args, q.OrderKey)
		where = append(where, "order_key = $"+strconv.Itoa(len(args)))
	}
	if q.Before > 0 {
		args = append(args, q.Before)
		where = append(where, "id < $"+strconv.Itoa(len(args)))
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	args = append(args, limit)
	limitArg := "$" + strconv.Itoa(len(args))
	cond := func(extra ...string) string {
		all := append(append([]string{}, where...), extra...)
		if len(all) == 0 {
			return ""
		}
		return " WHERE " + strings.Join(all, " AND ")
	}
	var parts []string
	if outbox {
		var extra []string
		switch len(outboxStates) {
		case 0:
		case 1: // "state = 2" lets the planners use the partial index deliveries_dead
			extra = append(extra, "state = "+outboxStates[0])
		default:
			extra = append(extra, "state IN ("+strings.Join(outboxStates, ", ")+")")
		}
		parts = append(parts, `SELECT * FROM (SELECT `+outboxHistoryColumns+` FROM deliveries`+cond(extra...)+` ORDER BY id DESC LIMIT `+limitArg+`) AS o`)
	}
	if history {
		parts = append(parts, `SELECT * FROM (SELECT `+historyColumns+` FROM delivered_webhooks`+cond()+` ORDER BY id DESC LIMIT `+limitArg+`) AS h`)
	}
	rows, err := t.query(ctx, strings.Join(parts, " UNION ALL ")+` ORDER BY id DESC LIMIT `+limitArg, args...)
	if err != nil {
		return nil, err
	}
	return scanHistory(rows)
}

func (t *tx) DeliveryStats(ctx context.Context) (store.DeliveryStats, error) {
	var s store.DeliveryStats
	var oldest sql.NullInt64
	err := t.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM deliveries WHERE state = 0),
		(SELECT COUNT(*) FROM deliveries WHERE state = 2),
		(SELECT COUNT(*) FROM delivered_webhooks),
		(SELECT MIN(created_at) FROM deliveries WHERE state = 0)`).Scan(&s.Pending, &s.Dead, &s.Delivered, &oldest)
	if err != nil {
		return s, err
	}
	if oldest.Valid {
		s.OldestPending = time.UnixMilli(oldest.Int64)
	}
	return s, nil
}

// pruneQuery finds the oldest delivered webhooks past the retention, through delivered_webhooks_at.
const pruneQuery = `SELECT id FROM delivered_webhooks WHERE delivered_at < $1 ORDER BY delivered_at LIMIT $2`

func (t *tx) PruneDelivered(ctx context.Context, before time.Time, limit int) (int, error) {
	ids, err := t.ids(ctx, pruneQuery, before.UnixMilli(), limit)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	list := intList(ids)
	if _, err := t.exec(ctx, `DELETE FROM delivery_attempts WHERE delivery_id IN INTLIST($1)`, list); err != nil {
		return 0, err
	}
	res, err := t.exec(ctx, `DELETE FROM delivered_webhooks WHERE id IN INTLIST($1)`, list)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func scanHistory(rows *sql.Rows) ([]store.Delivery, error) {
	defer rows.Close()
	var out []store.Delivery
	for rows.Next() {
		var d store.Delivery
		var body string
		var created, due, delivered int64
		var state int
		if err := rows.Scan(&d.ID, &d.Command, &body, &d.ClientIP, &d.Platform, &d.OrderKey, &created, &state, &d.Attempts, &due, &d.LastError, &delivered); err != nil {
			return nil, err
		}
		d.Body, d.CreatedAt, d.State = []byte(body), time.UnixMilli(created), store.DeliveryState(state)
		if due != 0 {
			d.DueAt = time.UnixMilli(due)
		}
		if delivered != 0 {
			d.DeliveredAt = time.UnixMilli(delivered)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
