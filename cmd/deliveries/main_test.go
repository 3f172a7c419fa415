package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

func TestHistoryListAndShow(t *testing.T) {
	ctx := context.Background()
	url := storetest.SQLite(t)
	st, err := sqlstore.Open(ctx, url)
	require.NoError(t, err)
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	require.NoError(t, st.Update(ctx, func(tx store.Tx) error {
		for _, key := range []string{"alice", "bob"} {
			if _, err := tx.Enqueue(ctx, store.NewDelivery{Command: "Follow.CallbackAfterFollowAdd", Body: []byte(`{"From_Account":"` + key + `"}`),
				ClientIP: "127.0.0.1", Platform: "RESTAPI", OrderKey: key, CreatedAt: at}); err != nil {
				return err
			}
		}
		if _, err := tx.LeaseIDs(ctx, "t", []int64{1}, at, at.Add(time.Minute)); err != nil {
			return err
		}
		if err := tx.RecordAttempts(ctx, []store.Attempt{{DeliveryID: 1, At: at, Status: 200, Latency: 12 * time.Millisecond,
			Answer: `{"ActionStatus":"OK"}`, Request: "POST http://x/callback?Sign=%2A%2A%2A\n"}}); err != nil {
			return err
		}
		return tx.DeliveredAt(ctx, "t", []int64{1}, at.Add(time.Second))
	}))
	require.NoError(t, st.Close())
	t.Setenv("CHAT_DATABASE_URL", url)

	var out bytes.Buffer
	require.NoError(t, run(ctx, []string{"list", "-state", "delivered"}, &out))
	assert.Equal(t, "ID  STATE      COMMAND                        KEY    ATTEMPTS  CREATED               DELIVERED / NEXT ATTEMPT  LAST ERROR\n"+
		"1   delivered  Follow.CallbackAfterFollowAdd  alice  1         2026-03-04T05:06:07Z  2026-03-04T05:06:08Z      \n", out.String())

	out.Reset()
	require.NoError(t, run(ctx, []string{"list", "-state", "all", "-key", "bob"}, &out))
	assert.Contains(t, out.String(), "2   pending")
	assert.NotContains(t, out.String(), "alice")

	out.Reset()
	require.NoError(t, run(ctx, []string{"show", "dlv_1"}, &out))
	assert.Contains(t, out.String(), "state:    delivered\n")
	assert.Contains(t, out.String(), "attempt 1 at 2026-03-04T05:06:07Z: HTTP 200 in 12ms\n")
	assert.Contains(t, out.String(), `answer: {"ActionStatus":"OK"}`)

	assert.Error(t, run(ctx, []string{"show", "9"}, &out))
	assert.Error(t, run(ctx, []string{"list", "-state", "gone"}, &out))
}
