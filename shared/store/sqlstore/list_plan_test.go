package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// TestListLookupsUseIndexes checks that "IN LIST($n)" finds rows through the primary key on
// both databases, with statistics of a table big enough for the planner to care: PostgreSQL
// plans "IN (a subquery over a JSON array)" as a hash join over a scan of the whole table, which
// made every follow_add scan every account.
func TestListLookupsUseIndexes(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s, err := Open(ctx, b.URL(t))
			require.NoError(t, err)
			defer s.Close()
			require.NoError(t, s.Update(ctx, func(stx store.Tx) error {
				for i := range 5000 {
					if err := stx.PutAccount(ctx, store.Account{UserID: fmt.Sprintf("u%d", i), CreatedAt: time.Unix(1, 0)}); err != nil {
						return err
					}
				}
				_, err := stx.(*tx).exec(ctx, "ANALYZE")
				return err
			}))
			for _, q := range []string{
				`SELECT ` + accountColumns + ` FROM accounts WHERE user_id IN LIST($1) ORDER BY user_id FOR_UPDATE`,
				`UPDATE accounts SET follower_count = follower_count + 1 WHERE user_id IN LIST($1)`,
			} {
				text := queryPlan(t, s, "", q, `["u1","u2"]`)
				assert.NotRegexp(t, `(?m)^SCAN accounts\b|Seq Scan on accounts`, text, "no scan of accounts for %s; plan:\n%s", q, text)
			}
		})
	}
}

// queryPlan is the plan of q with args, one line per step: EXPLAIN QUERY PLAN on SQLite, EXPLAIN
// on PostgreSQL, run after pgSetting (if any) in the same transaction on PostgreSQL.
func queryPlan(t *testing.T, s *Store, pgSetting, q string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	var plan []string
	require.NoError(t, s.Update(ctx, func(stx store.Tx) error {
		tx := stx.(*tx)
		explain := "EXPLAIN QUERY PLAN "
		if s.d.name == "postgres" {
			explain = "EXPLAIN "
			if pgSetting != "" {
				if _, err := tx.exec(ctx, pgSetting); err != nil {
					return err
				}
			}
		}
		rows, err := tx.query(ctx, explain+q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			switch v := vals[len(vals)-1].(type) {
			case string:
				plan = append(plan, strings.TrimSpace(v))
			case []byte:
				plan = append(plan, strings.TrimSpace(string(v)))
			}
		}
		return rows.Err()
	}))
	return strings.Join(plan, "\n")
}
