package sqlstore_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// TestEnqueueAllKeepsOrder writes more deliveries than one INSERT takes: the IDs come back in
// the order given and grow in it, so each key's deliveries go out in the order they were added.
func TestEnqueueAllKeepsOrder(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st, err := sqlstore.Open(ctx, b.URL(t))
			require.NoError(t, err)
			defer st.Close()
			const n = 2500
			ds := make([]store.NewDelivery, n)
			for i := range ds {
				ds[i] = store.NewDelivery{Command: "c", Body: []byte(`{"i":` + strconv.Itoa(i) + `,"s":"<é\"\\>"}`), ClientIP: "10.0.0.1",
					Platform: "RESTAPI", OrderKey: "k" + strconv.Itoa(i%3), CreatedAt: time.UnixMilli(1702018343678)}
			}
			var ids []int64
			require.NoError(t, st.Update(ctx, func(tx store.Tx) (err error) { ids, err = tx.EnqueueAll(ctx, ds); return err }))
			require.Len(t, ids, n)
			var got []store.Delivery
			require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) { got, err = tx.Deliveries(ctx, store.Pending, 10000); return err }))
			require.Len(t, got, n)
			for i, d := range got {
				require.Equal(t, ids[i], d.ID)
				require.Equal(t, string(ds[i].Body), string(d.Body))
				require.Equal(t, ds[i].OrderKey, d.OrderKey)
				require.Equal(t, "10.0.0.1", d.ClientIP)
				require.Equal(t, int64(1702018343678), d.CreatedAt.UnixMilli())
				require.Equal(t, int64(1702018343678), d.DueAt.UnixMilli())
			}
		})
	}
}
