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
				var plan []string
				require.NoError(t, s.Update(ctx, func(stx store.Tx) error {
					t := stx.(*tx)
					explain := "EXPLAIN QUERY PLAN "
					if s.d.name == "postgres" {
						explain = "EXPLAIN "
					}
					rows, err := t.query(ctx, explain+q, `["u1","u2"]`)
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
						plan = append(plan, strings.TrimSpace(toString(vals[len(vals)-1])))
					}
					return rows.Err()
				}))
				text := strings.Join(plan, "\n")
				assert.NotRegexp(t, `(?m)^SCAN accounts\b|Seq Scan on accounts`, text, "no scan of accounts for %s; plan:\n%s", q, text)
			}
		})
	}
}
