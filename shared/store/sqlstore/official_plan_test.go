package sqlstore

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// TestSubscriptionPagesUseIndexes checks the plans of the page queries: a backward range of one
// index, no scan of the table and no sort, whatever the number of subscribers.
func TestSubscriptionPagesUseIndexes(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s, err := Open(ctx, b.URL(t))
			require.NoError(t, err)
			defer s.Close()
			for _, q := range []struct {
				query, index string
				args         []any
			}{
				{subscriberPageQuery, "subscriptions_official", []any{"x", 1000, 200}},
				{subscribedPageQuery, "subscriptions_subscriber_time", []any{"x", 200, 400}}, // LIMIT, OFFSET
			} {
				// The test tables are tiny; forbid the scan a planner would rightly pick for them,
				// so the plan shows whether the index serves the query at all.
				// A bitmap scan of the right index still sorts; off too, to see the ordered scan.
				text := queryPlan(t, s, "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off", q.query, q.args...)
				assert.Contains(t, text, q.index, "plan:\n%s", text)
				assert.NotContains(t, text, "TEMP B-TREE", "no sort: plan:\n%s", text)
				assert.NotContains(t, text, "Sort", "no sort: plan:\n%s", text)
				assert.NotRegexp(t, `(?m)^SCAN s\b|Seq Scan on subscriptions`, text, "no scan of the table: plan:\n%s", text)
			}
		})
	}
}
