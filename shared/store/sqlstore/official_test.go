package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

func TestOfficialConformance(t *testing.T) {
	open := func(url func(testing.TB) string) func(t *testing.T) store.Store {
		return func(t *testing.T) store.Store {
			st, err := sqlstore.Open(context.Background(), url(t))
			require.NoError(t, err)
			t.Cleanup(func() { st.Close() })
			return st
		}
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) { storetest.OfficialConformance(t, open(b.URL)) })
	}
	t.Run("sqlite in memory", func(t *testing.T) {
		storetest.OfficialConformance(t, open(func(testing.TB) string { return "sqlite::memory:" }))
	})
}
