package sqlstore

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// TestHistoryQueriesUseIndexes: listing dead letters reads the partial index of dead rows, and
// pruning finds old history by delivered_at, whatever the size of the tables.
func TestHistoryQueriesUseIndexes(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, err := Open(context.Background(), b.URL(t))
			require.NoError(t, err)
			defer s.Close()
			for _, q := range []struct {
				query, index string
				args         []any
			}{
				{`SELECT ` + outboxHistoryColumns + ` FROM deliveries WHERE state = 2 ORDER BY id DESC LIMIT $1`, "deliveries_dead", []any{50}},
				{pruneQuery, "delivered_webhooks_at", []any{1, 500}},
			} {
				text := queryPlan(t, s, "SET LOCAL enable_seqscan = off", q.query, q.args...)
				assert.Contains(t, text, q.index, "plan:\n%s", text)
				assert.NotRegexp(t, `(?m)^SCAN (deliveries|delivered_webhooks)$|Seq Scan`, text, "no scan of the table: plan:\n%s", text)
			}
		})
	}
}
