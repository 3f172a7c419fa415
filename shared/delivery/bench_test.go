package delivery_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook/webhooktest"
)

// BenchmarkDrain measures the drain rate against a loopback receiver that accepts everything:
// b.N deliveries over 1,000 order keys, drained by 1, 2 or 4 concurrent dispatchers, each with
// its own store handle as separate function instances would have. Run with a fixed count:
//
//	CHAT_TEST_POSTGRES_URL=... go test -run XXX -bench Drain -benchtime 20000x ./shared/delivery/
func BenchmarkDrain(b *testing.B) {
	for _, backend := range storetest.Backends() {
		for _, n := range []int{1, 2, 4} {
			b.Run(fmt.Sprintf("%s/dispatchers=%d", backend.Name, n), func(b *testing.B) {
				url := backend.URL(b)
				st := open(b, url)
				rcv := webhooktest.New(b)
				keys := make([]string, b.N)
				for i := range keys {
					keys[i] = fmt.Sprintf("k%d", i%1000)
				}
				enqueue(b, st, keys...)
				b.ResetTimer()
				start := time.Now()
				var wg sync.WaitGroup
				for range n {
					d := dispatcher(b, open(b, url), rcv.URL, "", 2*time.Second, time.Second)
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							m, err := d.Drain(context.Background())
							if err != nil {
								b.Error(err)
								return
							}
							if m == 0 && len(pending(b, st, store.Pending)) == 0 {
								return
							}
						}
					}()
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.StopTimer()
				require.Len(b, rcv.Requests(), b.N)
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "deliveries/s")
			})
		}
	}
}
