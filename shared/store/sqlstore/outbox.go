package sqlstore

import (
	"context"

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
