package delivery_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook/webhooktest"
)

// BenchmarkDrain measures the dispatcher's drain rate against a loopback receiver that accepts
// everything: b.N deliveries over 1,000 order keys, drained by one dispatcher.
func BenchmarkDrain(b *testing.B) {
	st := open(b, storetest.SQLite(b))
	rcv := webhooktest.New(b)
	keys := make([]string, b.N)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%d", i%1000)
	}
	enqueue(b, st, keys...)
	d := dispatcher(b, st, rcv.URL, "", 2*time.Second, time.Second)
	b.ResetTimer()
	start := time.Now()
	for {
		n, err := d.Drain(context.Background())
		require.NoError(b, err)
		if n == 0 {
			break
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	require.Len(b, pending(b, st, store.Pending), 0)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "deliveries/s")
}
