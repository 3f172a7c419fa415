package sqlstore

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// migration is one row of schema_migrations.
type migration struct {
	Name      string
	AppliedAt int64
}

func appliedRows(t *testing.T, s *Store) []migration {
	t.Helper()
	ctx := context.Background()
	var got []migration
	require.NoError(t, s.View(ctx, func(stx store.Tx) error {
		rows, err := stx.(*tx).query(ctx, "SELECT name, applied_at FROM schema_migrations ORDER BY version")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m migration
			if err := rows.Scan(&m.Name, &m.AppliedAt); err != nil {
				return err
			}
			got = append(got, m)
		}
		return rows.Err()
	}))
	return got
}

// TestMigrationsApplyOnce opens a new database (every migration file applied once, in order),
// marks the applied rows and writes data, then opens it twice more: the marks and the data are
// still there and no migration row was added or rewritten, so nothing was redone.
func TestMigrationsApplyOnce(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			url := b.URL(t)
			s, err := Open(ctx, url)
			require.NoError(t, err)
			files, err := os.ReadDir("migrations/" + s.d.name)
			require.NoError(t, err)
			require.NotEmpty(t, files)
			var want []migration
			for _, f := range files {
				want = append(want, migration{Name: f.Name(), AppliedAt: 1})
			}
			first := appliedRows(t, s)
			require.Len(t, first, len(files))
			for i, m := range first {
				require.Equal(t, files[i].Name(), m.Name)
				require.InDelta(t, time.Now().Unix(), m.AppliedAt, 600, "applied just now")
			}
			require.NoError(t, s.Update(ctx, func(stx store.Tx) error {
				if _, err := stx.(*tx).exec(ctx, "UPDATE schema_migrations SET applied_at = 1"); err != nil {
					return err
				}
				return stx.PutAccount(ctx, store.Account{UserID: "kept", Nick: "Kept", CreatedAt: time.Unix(7, 0)})
			}))
			require.NoError(t, s.Close())

			for range 2 {
				s, err := Open(ctx, url)
				require.NoError(t, err)
				require.Equal(t, want, appliedRows(t, s))
				var accounts map[string]store.Account
				require.NoError(t, s.View(ctx, func(tx store.Tx) (err error) {
					accounts, err = tx.Accounts(ctx, []string{"kept"})
					return err
				}))
				require.Equal(t, "Kept", accounts["kept"].Nick, "the data written after the first open is kept")
				require.NoError(t, s.Close())
			}
		})
	}
}
