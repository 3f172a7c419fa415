package delivery_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	svix "github.com/svix/svix-webhooks/go"

	"github.com/chatfollow/chatfollow/shared/delivery"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook"
	"github.com/chatfollow/chatfollow/shared/webhook/webhooktest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func open(t testing.TB, url string) store.Store {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

// enqueue commits one delivery per key, in order, and returns their IDs.
func enqueue(t testing.TB, st store.Store, keys ...string) []int64 {
	t.Helper()
	var ids []int64
	ctx := context.Background()
	require.NoError(t, st.Update(ctx, func(tx store.Tx) error {
		for i, k := range keys {
			body := fmt.Sprintf(`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":%q,"To_Account":["t%d"],"EventTime":1702018343678}`, k, i)
			id, err := tx.Enqueue(ctx, store.NewDelivery{Command: protocol.CallbackAfterFollowDelete, Body: []byte(body),
				ClientIP: "127.0.0.1", Platform: protocol.PlatformREST, OrderKey: k, CreatedAt: time.Now()})
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	}))
	return ids
}

func dispatcher(t testing.TB, st store.Store, url, hmacSecret string, timeout time.Duration, retry ...time.Duration) *delivery.Dispatcher {
	t.Helper()
	s, err := webhook.NewSender(webhook.Target{URL: url, SDKAppID: 1400000000, Token: "xxxxyyyy"}, timeout, hmacSecret, time.Now)
	require.NoError(t, err)
	return delivery.New(st, s, timeout, retry, time.Now, quiet)
}

func pending(t testing.TB, st store.Store, state store.DeliveryState) []store.Delivery {
	t.Helper()
	var ds []store.Delivery
	require.NoError(t, st.View(context.Background(), func(tx store.Tx) (err error) { ds, err = tx.Deliveries(context.Background(), state, 1000); return err }))
	return ds
}

// drainUntil drains until no delivery is pending or the deadline passes.
func drainUntil(t *testing.T, st store.Store, d *delivery.Dispatcher, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for len(pending(t, st, store.Pending)) > 0 {
		require.True(t, time.Now().Before(deadline), "deliveries still pending after %v", within)
		_, err := d.Drain(context.Background())
		require.NoError(t, err)
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRetryThenDeliveredOnce(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := open(t, b.URL(t))
			rcv := webhooktest.New(t)
			rcv.Answer(func(n int, _ webhooktest.Request, w http.ResponseWriter) {
				if n <= 2 {
					http.Error(w, "down", http.StatusInternalServerError)
					return
				}
				io.WriteString(w, webhooktest.OK)
			})
			enqueue(t, st, "a")
			d := dispatcher(t, st, rcv.URL, "", time.Second, 20*time.Millisecond, 20*time.Millisecond, 20*time.Millisecond)
			drainUntil(t, st, d, 5*time.Second)

			got := rcv.Requests()
			require.Len(t, got, 3, "one attempt, then one more after each failure, then none")
			for i, r := range got {
				assert.Equal(t, got[0].Body, r.Body, "every attempt sends the same bytes")
				assert.Equal(t, got[0].Header.Get(delivery.HeaderDeliveryID), r.Header.Get(delivery.HeaderDeliveryID))
				assert.Equal(t, strconv.Itoa(i+1), r.Header.Get(delivery.HeaderAttempt))
				rt, err := strconv.ParseInt(r.Query.Get("RequestTime"), 10, 64)
				require.NoError(t, err)
				assert.Equal(t, webhook.Sign("xxxxyyyy", rt), r.Query.Get("Sign"))
			}
			assert.Empty(t, pending(t, st, store.Pending))
			assert.Empty(t, pending(t, st, store.Dead))
			n, err := d.Drain(context.Background())
			require.NoError(t, err)
			assert.Zero(t, n, "a delivered webhook is never sent again")
		})
	}
}

func TestDeadLetterAndRedelivery(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := open(t, b.URL(t))
			rcv := webhooktest.New(t)
			var up atomic.Bool
			rcv.Answer(func(_ int, _ webhooktest.Request, w http.ResponseWriter) {
				if !up.Load() {
					w.WriteHeader(http.StatusBadGateway)
					return
				}
				io.WriteString(w, webhooktest.OK)
			})
			ids := enqueue(t, st, "a")
			d := dispatcher(t, st, rcv.URL, "", time.Second, 10*time.Millisecond, 10*time.Millisecond)
			drainUntil(t, st, d, 5*time.Second)
			require.Len(t, rcv.Requests(), 3, "first attempt and two retries")
			dead := pending(t, st, store.Dead)
			require.Len(t, dead, 1)
			assert.Equal(t, ids[0], dead[0].ID)
			assert.Equal(t, 3, dead[0].Attempts)
			assert.Contains(t, dead[0].LastError, "HTTP 502")

			up.Store(true)
			var n int
			require.NoError(t, st.Update(context.Background(), func(tx store.Tx) (err error) {
				n, err = tx.Redeliver(context.Background(), ids[0], time.Now())
				return err
			}))
			require.Equal(t, 1, n)
			drainUntil(t, st, d, 5*time.Second)
			require.Len(t, rcv.Requests(), 4)
			assert.Empty(t, pending(t, st, store.Dead))
		})
	}
}

func TestFailuresThatCountAsUndelivered(t *testing.T) {
	elsewhere := webhooktest.New(t)
	cases := []struct {
		name   string
		answer func(w http.ResponseWriter)
		errHas string
	}{
		{"status 500", func(w http.ResponseWriter) { w.WriteHeader(500) }, "HTTP 500"},
		{"redirect is not followed", func(w http.ResponseWriter) {
			w.Header().Set("Location", elsewhere.URL)
			w.WriteHeader(http.StatusFound)
		}, "HTTP 302"},
		{"body not JSON", func(w http.ResponseWriter) { io.WriteString(w, "OK") }, "answer is not"},
		{"JSON without ActionStatus", func(w http.ResponseWriter) { io.WriteString(w, `{"ErrorCode":0}`) }, "answer is not"},
		{"JSON array", func(w http.ResponseWriter) { io.WriteString(w, `[]`) }, "answer is not"},
		{"hangs past the timeout", func(w http.ResponseWriter) { time.Sleep(time.Second) }, "deadline exceeded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := open(t, storetest.SQLite(t))
			rcv := webhooktest.New(t)
			rcv.Answer(func(_ int, _ webhooktest.Request, w http.ResponseWriter) { c.answer(w) })
			enqueue(t, st, "a")
			d := dispatcher(t, st, rcv.URL, "", 200*time.Millisecond) // no retries: dead at once
			_, err := d.Drain(context.Background())
			require.NoError(t, err)
			dead := pending(t, st, store.Dead)
			require.Len(t, dead, 1)
			assert.Contains(t, dead[0].LastError, c.errHas)
		})
	}
	assert.Empty(t, elsewhere.Requests(), "a redirect is never followed")
}

func TestAnyErrorCodeCountsAsDelivered(t *testing.T) {
	st := open(t, storetest.SQLite(t))
	rcv := webhooktest.New(t)
	rcv.Answer(func(_ int, _ webhooktest.Request, w http.ResponseWriter) {
		io.WriteString(w, `{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"ignored"}`)
	})
	enqueue(t, st, "a")
	d := dispatcher(t, st, rcv.URL, "", time.Second)
	_, err := d.Drain(context.Background())
	require.NoError(t, err)
	assert.Empty(t, pending(t, st, store.Pending))
	assert.Empty(t, pending(t, st, store.Dead))
}

func TestStandardWebhooksSignatureVerifiesWithSvix(t *testing.T) {
	secret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("a 24-byte test secret!!!"))
	st := open(t, storetest.SQLite(t))
	rcv := webhooktest.New(t)
	enqueue(t, st, "a")
	d := dispatcher(t, st, rcv.URL, secret, time.Second)
	_, err := d.Drain(context.Background())
	require.NoError(t, err)
	got := rcv.Requests()
	require.Len(t, got, 1)
	wh, err := svix.NewWebhook(secret)
	require.NoError(t, err)
	require.NoError(t, wh.Verify(got[0].Body, got[0].Header), "svix verifies the body signature")
	assert.Equal(t, got[0].Header.Get(delivery.HeaderDeliveryID), got[0].Header.Get("webhook-id"))
	tampered := append([]byte{}, got[0].Body...)
	tampered[len(tampered)-2] ^= 1
	assert.Error(t, wh.Verify(tampered, got[0].Header), "a changed body does not verify")
}

func TestOrderPerKey(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := open(t, b.URL(t))
			rcv := webhooktest.New(t)
			ids := enqueue(t, st, "a", "a", "b", "a", "b")
			var failed atomic.Bool
			rcv.Answer(func(_ int, r webhooktest.Request, w http.ResponseWriter) {
				if r.Header.Get(delivery.HeaderDeliveryID) == delivery.DeliveryID(ids[0]) && !failed.Swap(true) {
					w.WriteHeader(500) // the first event of key a fails once
					return
				}
				io.WriteString(w, webhooktest.OK)
			})
			d := dispatcher(t, st, rcv.URL, "", time.Second, 30*time.Millisecond)
			drainUntil(t, st, d, 5*time.Second)
			var order []string
			for _, r := range rcv.Requests() {
				order = append(order, r.Header.Get(delivery.HeaderDeliveryID))
			}
			byKey := map[string][]string{}
			keys := []string{"a", "a", "b", "a", "b"}
			for _, id := range order {
				for i, want := range ids {
					if delivery.DeliveryID(want) == id {
						byKey[keys[i]] = append(byKey[keys[i]], id)
					}
				}
			}
			dl := func(i int) string { return delivery.DeliveryID(ids[i]) }
			assert.Equal(t, []string{dl(0), dl(0), dl(1), dl(3)}, byKey["a"], "key a in commit order, the failed one retried first")
			assert.Equal(t, []string{dl(2), dl(4)}, byKey["b"])
		})
	}
}

func TestConcurrentDispatchersNeverSendTwice(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			st := open(t, url)
			rcv := webhooktest.New(t)
			var mu sync.Mutex
			inFlight, seen := map[string]bool{}, map[string]int{}
			overlaps := 0
			rcv.Answer(func(_ int, r webhooktest.Request, w http.ResponseWriter) {
				id := r.Header.Get(delivery.HeaderDeliveryID)
				mu.Lock()
				if inFlight[id] {
					overlaps++
				}
				inFlight[id] = true
				seen[id]++
				mu.Unlock()
				time.Sleep(time.Millisecond)
				mu.Lock()
				inFlight[id] = false
				mu.Unlock()
				io.WriteString(w, webhooktest.OK)
			})
			const n = 400
			keys := make([]string, n)
			for i := range keys {
				keys[i] = fmt.Sprintf("k%d", i%50)
			}
			enqueue(t, st, keys...)
			var wg sync.WaitGroup
			for range 4 {
				// Each dispatcher has its own store handle, like separate function instances.
				own := open(t, url)
				d := dispatcher(t, own, rcv.URL, "", time.Second, time.Hour)
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						m, err := d.Drain(context.Background())
						assert.NoError(t, err)
						if m == 0 && len(pending(t, st, store.Pending)) == 0 {
							return
						}
					}
				}()
			}
			wg.Wait()
			assert.Zero(t, overlaps, "no delivery was in flight twice at once")
			assert.Len(t, seen, n)
			for id, c := range seen {
				assert.Equal(t, 1, c, "delivery %s sent once", id)
			}
		})
	}
}

func TestBoundedConnectionsAndInlineBudget(t *testing.T) {
	st := open(t, storetest.SQLite(t))
	rcv := webhooktest.New(t)
	// The receiver hangs until the sender gives up on the request.
	rcv.Answer(func(_ int, r webhooktest.Request, w http.ResponseWriter) { <-r.Gone })
	keys := make([]string, 100)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%d", i)
	}
	enqueue(t, st, keys...)
	d := dispatcher(t, st, rcv.URL, "", 300*time.Millisecond, time.Hour)

	start := time.Now()
	d.Deliver(context.Background(), keys[:3]) // the inline attempt of a REST call
	inline := time.Since(start)
	assert.Less(t, inline, 2*time.Second, "the inline attempts of one call take at most 1.5 attempt timeouts (took %v)", inline)

	peak := watchConnections(t, rcv.URL)
	_, err := d.Drain(context.Background())
	require.NoError(t, err)
	// net/http's transport frees a connection's slot a moment before it closes the socket, so
	// when all the attempts time out together the kernel can briefly list a closing connection
	// beside its replacement: at most 2×MaxConns. Unbounded, it would be 100.
	assert.LessOrEqual(t, peak(), 2*webhook.MaxConns, "connections to the receiver stay bounded")
	for _, dl := range pending(t, st, store.Pending) {
		assert.Contains(t, dl.LastError, "deadline exceeded")
	}
}

// watchConnections samples, from the kernel's table, how many TCP connections to url's port are
// established, and returns a function that stops sampling and gives the peak. Counting on the
// sender's side of the socket is exact; a receiver only learns of a close a moment later.
func watchConnections(t *testing.T, url string) func() int {
	t.Helper()
	if _, err := os.Stat("/proc/net/tcp"); err != nil {
		t.Skip("needs Linux's /proc/net/tcp")
	}
	_, port, err := net.SplitHostPort(strings.TrimPrefix(url, "http://"))
	require.NoError(t, err)
	p, err := strconv.Atoi(port)
	require.NoError(t, err)
	remote := fmt.Sprintf(":%04X", p)
	var peak atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			if n := countEstablished(remote); n > peak.Load() {
				peak.Store(n)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() int {
		close(stop)
		<-done
		return int(peak.Load())
	}
}

// countEstablished counts sockets in state ESTABLISHED (01) whose remote address ends in port.
func countEstablished(port string) int64 {
	b, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return 0
	}
	var n int64
	for _, line := range strings.Split(string(b), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) > 3 && strings.HasSuffix(f[2], port) && f[3] == "01" {
			n++
		}
	}
	return n
}

// TestInlineSendsOlderFirst: the inline attempt of a commit whose key has older pending
// deliveries sends those first, then its own, in commit order, without waiting for a tick.
func TestInlineSendsOlderFirst(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := open(t, b.URL(t))
			rcv := webhooktest.New(t)
			ids := enqueue(t, st, "a", "b", "a", "a")
			d := dispatcher(t, st, rcv.URL, "", time.Second, time.Hour)
			d.Deliver(context.Background(), []string{"a"})
			var got []string
			for _, r := range rcv.Requests() {
				got = append(got, r.Header.Get(delivery.HeaderDeliveryID))
			}
			assert.Equal(t, []string{delivery.DeliveryID(ids[0]), delivery.DeliveryID(ids[2]), delivery.DeliveryID(ids[3])}, got)
			left := pending(t, st, store.Pending)
			require.Len(t, left, 1, "key b was not asked for")
			assert.Equal(t, "b", left[0].OrderKey)
		})
	}
}

// TestSlowAnswerHoldsOnlyItsKey: while the receiver holds the answer to one key's delivery, Run
// delivers every other key's deliveries, the later ones of those keys included.
func TestSlowAnswerHoldsOnlyItsKey(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := open(t, b.URL(t))
			rcv := webhooktest.New(t)
			release := make(chan struct{})
			rcv.Answer(func(_ int, r webhooktest.Request, w http.ResponseWriter) {
				if strings.Contains(string(r.Body), `"From_Account":"slow"`) {
					select {
					case <-release:
					case <-r.Gone:
						return
					}
				}
				io.WriteString(w, webhooktest.OK)
			})
			keys := []string{"slow", "slow"}
			for i := range 30 {
				keys = append(keys, fmt.Sprintf("k%d", i%10))
			}
			enqueue(t, st, keys...)
			d := dispatcher(t, st, rcv.URL, "", 30*time.Second, time.Hour)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); d.Run(ctx) }()
			require.Eventually(t, func() bool {
				left := pending(t, st, store.Pending)
				return len(left) == 2 && left[0].OrderKey == "slow" && left[1].OrderKey == "slow"
			}, 10*time.Second, 10*time.Millisecond, "every other key delivered while one answer hangs")
			close(release)
			require.Eventually(t, func() bool { return len(pending(t, st, store.Pending)) == 0 }, 10*time.Second, 10*time.Millisecond)
			cancel()
			<-done
		})
	}
}

// TestRunKeepsOrderAndReleasesOnFailure: a key's deliveries go out as runs in commit order; an
// attempt failing mid-run leaves it the key's head with its retry schedule and the rest of the
// run pending and leasable at once, not after its lease (33 s here) ends.
func TestRunKeepsOrderAndReleasesOnFailure(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := open(t, b.URL(t))
			rcv := webhooktest.New(t)
			keys := make([]string, 40)
			for i := range keys {
				keys[i] = "a"
			}
			ids := enqueue(t, st, keys...)
			var failed atomic.Bool
			rcv.Answer(func(_ int, r webhooktest.Request, w http.ResponseWriter) {
				if r.Header.Get(delivery.HeaderDeliveryID) == delivery.DeliveryID(ids[4]) && !failed.Swap(true) {
					w.WriteHeader(500)
					return
				}
				io.WriteString(w, webhooktest.OK)
			})
			d := dispatcher(t, st, rcv.URL, "", 30*time.Second, 20*time.Millisecond)
			d.Deliver(context.Background(), []string{"a"})
			require.Len(t, rcv.Requests(), 5, "four delivered, the fifth failed, the run stopped")
			left := pending(t, st, store.Pending)
			require.Len(t, left, 36)
			assert.Equal(t, ids[4], left[0].ID)
			assert.Equal(t, 1, left[0].Attempts, "the failed one keeps its attempt and retry schedule")

			drainUntil(t, st, d, 5*time.Second)
			var got []string
			for _, r := range rcv.Requests() {
				got = append(got, r.Header.Get(delivery.HeaderDeliveryID))
			}
			want := []string{}
			for i, id := range ids {
				want = append(want, delivery.DeliveryID(id))
				if i == 4 {
					want = append(want, delivery.DeliveryID(id))
				}
			}
			assert.Equal(t, want, got, "commit order, the failed one retried before the rest")
		})
	}
}
