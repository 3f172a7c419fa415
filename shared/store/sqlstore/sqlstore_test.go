package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

func TestConformance(t *testing.T) {
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
	storetest.Conformance(t, func(t *testing.T) store.Store {
		st, err := sqlstore.Open(context.Background(), "sqlite::memory:")
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
		return st
	})
}

// TestMigrationsApplyOnce reopens a database: the schema is already there and nothing is redone.
func TestMigrationsApplyOnce(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			for range 3 {
				st, err := sqlstore.Open(context.Background(), url)
				require.NoError(t, err)
				require.NoError(t, st.Ping(context.Background()))
				require.NoError(t, st.Close())
			}
		})
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	_, err := sqlstore.Open(context.Background(), "mysql://root:secret@localhost/db")
	require.ErrorContains(t, err, "want sqlite:")
	require.NotContains(t, err.Error(), "secret", "passwords are not shown")
}
