package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			storetest.Conformance(t, func(t *testing.T) store.Store {
				st, err := sqlstore.Open(context.Background(), b.URL(t))
				require.NoError(t, err)
				t.Cleanup(func() { st.Close() })
				return st
			})
		})
	}
}

func TestConformanceInMemory(t *testing.T) {
	t.Parallel()
	storetest.Conformance(t, func(t *testing.T) store.Store {
		st, err := sqlstore.Open(context.Background(), "sqlite::memory:")
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
		return st
	})
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	t.Parallel()
	_, err := sqlstore.Open(context.Background(), "mysql://root:secret@localhost/db")
	require.ErrorContains(t, err, "want sqlite:")
	require.NotContains(t, err.Error(), "secret", "passwords are not shown")
}

// TestClosedStoreFails: calls on a closed store fail at once instead of waiting for a connection.
func TestClosedStoreFails(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st, err := sqlstore.Open(context.Background(), b.URL(t))
			require.NoError(t, err)
			require.NoError(t, st.Close())
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			require.Error(t, st.Update(ctx, func(store.Tx) error { return nil }))
			require.Error(t, st.View(ctx, func(store.Tx) error { return nil }))
			require.Error(t, st.Ping(ctx))
			require.NoError(t, ctx.Err(), "failed at once, not at the deadline")
		})
	}
}
