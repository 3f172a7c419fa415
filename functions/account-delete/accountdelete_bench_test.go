package accountdelete_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// BenchmarkAccountDeleteFollowers times account_delete, over HTTP, of an account with n
// followers: one transaction that removes n follows, fixes n counts and writes n webhooks to the
// outbox (checked after each call). The outbox is on without inline delivery, so the figure is
// the REST call alone. ns/follower must stay flat from 1,000 to 100,000; peak-RSS-MB is the
// process's peak resident memory during the call (server, client and test together).
func BenchmarkAccountDeleteFollowers(b *testing.B) {
	benchDelete(b, func(ctx context.Context, st *sqlstore.Store, victim string, n int, at time.Time) error {
		followers := make([]string, n)
		for i := range followers {
			followers[i] = fmt.Sprintf("%s_f%d", victim, i)
		}
		return st.SeedFollowers(ctx, victim, followers, at)
	})
}

// BenchmarkAccountDeleteSubscriptions is the same for an account subscribed to n official
// accounts: n subscriptions removed, n SubscriberNum fixed, n webhooks written.
func BenchmarkAccountDeleteSubscriptions(b *testing.B) {
	benchDelete(b, func(ctx context.Context, st *sqlstore.Store, victim string, n int, at time.Time) error {
		officials := make([]string, n)
		for i := range officials {
			officials[i] = fmt.Sprintf("@TOA#_%s_%d", victim, i)
		}
		return st.SeedSubscriptions(ctx, victim, "owner", officials, at)
	})
}

func benchDelete(b *testing.B, seed func(ctx context.Context, st *sqlstore.Store, victim string, n int, at time.Time) error) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			s := servertest.StartApp(b, servertest.Config(b, be.URL(b)), func(a *app.App) {
				a.Outbox = outbox.New(a.Store, true, nil, a.Now)
			})
			st := s.App.Store.(*sqlstore.Store)
			ctx := context.Background()
			for _, n := range []int{1000, 10000, 100000} {
				b.Run(strconv.Itoa(n), func(b *testing.B) {
					var elapsed time.Duration
					peak := 0.0
					for i := range b.N {
						b.StopTimer()
						victim := fmt.Sprintf("v%d_%d", n, i)
						require.NoError(b, seed(ctx, st, victim, n, time.Unix(1702018343, 0)))
						before := pending(b, st, n)
						debug.FreeOSMemory()
						resetPeakRSS()
						b.StartTimer()
						start := time.Now()
						got := s.Call(b, "im_open_login_svc/account_delete", `{"DeleteItem":[{"UserID":"`+victim+`"}]}`)
						elapsed += time.Since(start)
						b.StopTimer()
						peak = max(peak, peakRSSMB())
						require.Equal(b, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"ResultCode":0,"ResultInfo":"","UserID":"`+victim+`"}]}`, got)
						require.Equal(b, before+n, pending(b, st, n), "every webhook is in the outbox")
						b.StartTimer()
					}
					b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N*n), "ns/item")
					b.ReportMetric(peak, "peak-RSS-MB")
				})
			}
		})
	}
}

// pending counts the outbox's pending deliveries (the benchmark writes at most 2n per call).
func pending(b *testing.B, st store.Store, n int) int {
	var got []store.Delivery
	require.NoError(b, st.View(context.Background(), func(tx store.Tx) (err error) {
		got, err = tx.Deliveries(context.Background(), store.Pending, 1<<30)
		return err
	}))
	return len(got)
}

// resetPeakRSS starts the kernel's peak-RSS count (VmHWM) afresh (Linux; elsewhere nothing).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSMB reads VmHWM, the peak resident memory since resetPeakRSS, in MB (0 when unknown).
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}
