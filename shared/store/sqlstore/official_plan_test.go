package sqlstore

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// TestSubscriptionPagesUseIndexes checks the plans of the page queries: a backward range of one
// index, no scan of the table and no sort, whatever the number of subscribers.
func TestSubscriptionPagesUseIndexes(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s, err := Open(ctx, b.URL(t))
			require.NoError(t, err)
			defer s.Close()
			for _, q := range []struct{ query, index string }{
				{subscriberPageQuery, "subscriptions_official"},
				{subscribedPageQuery, "subscriptions_subscriber"},
			} {
				var plan []string
				require.NoError(t, s.Update(ctx, func(stx store.Tx) error {
					t := stx.(*tx)
					explain := "EXPLAIN QUERY PLAN "
					if s.d.name == "postgres" {
						// The test tables are tiny; forbid the scan a planner would rightly pick
						// for them, so the plan shows whether the index serves the query at all.
						if _, err := t.exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
							return err
						}
						explain = "EXPLAIN "
					}
					rows, err := t.query(ctx, explain+q.query, "x", 1000, 200)
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
				assert.Contains(t, text, q.index, "plan:\n%s", text)
				assert.NotContains(t, text, "TEMP B-TREE", "no sort: plan:\n%s", text)
				assert.NotContains(t, text, "Sort", "no sort: plan:\n%s", text)
				assert.NotRegexp(t, `(?m)^SCAN s\b|Seq Scan on subscriptions`, text, "no scan of the table: plan:\n%s", text)
			}
		})
	}
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}
