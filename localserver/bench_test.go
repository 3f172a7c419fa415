package localserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/outbox"
)

// Webhook settings of a benchmark server.
const (
	webhooksDelivered = "delivered"    // as with the local server's defaults: written, then sent to a receiver answering OK
	webhooksOutbox    = "outbox-write" // written to the outbox in the call's transaction, never sent
	webhooksOff       = "webhooks-off" // CHAT_CALLBACK_URL empty
)

// benchServer is a local server on an SQLite file with the given webhook setting and 1,000
// accounts for each prefix: prefix000...prefix999.
func benchServer(b *testing.B, webhooks string, prefixes ...string) *servertest.Server {
	b.Helper()
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`))
	}))
	b.Cleanup(hook.Close)
	cfg := servertest.Config(b, "sqlite:"+filepath.Join(b.TempDir(), "chat.db"))
	if webhooks == webhooksDelivered {
		cfg.Callback.URL = hook.URL
	}
	s := servertest.StartApp(b, cfg, func(a *app.App) {
		if webhooks == webhooksOutbox {
			a.Outbox = outbox.New(a.Store, true, nil, a.Now)
		}
	})
	for _, prefix := range prefixes {
		for i := 0; i < 1000; i += 100 {
			ids := make([]string, 100)
			for j := range ids {
				ids[j] = fmt.Sprintf("%s%03d", prefix, i+j)
			}
			body, err := json.Marshal(map[string][]string{"Accounts": ids})
			require.NoError(b, err)
			require.Contains(b, s.Call(b, "im_open_login_svc/multiaccount_import", string(body)), `"FailAccounts":[]`)
		}
	}
	return s
}

// cpuPerOp reports, when the returned function runs after the benchmark loop, the CPU time
// (user and system, every thread of the process) spent per operation: a figure that, unlike
// ns/op, hardly moves when other processes compete for the machine's cores.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// serve calls the local server's handler directly (no connection) and checks the answer is OK.
func serve(b *testing.B, s *servertest.Server, path, body string) {
	req := httptest.NewRequest(http.MethodPost, "/v4/"+path+"?"+s.Query(), strings.NewReader(body))
	w := httptest.NewRecorder()
	s.Handler.ServeHTTP(w, req)
	if !strings.HasPrefix(w.Body.String(), `{"ActionStatus":"OK"`) {
		b.Fatalf("%s: %s", path, w.Body)
	}
}

func items(tos []string) string {
	out := make([]string, len(tos))
	for i, to := range tos {
		out[i] = `{"To_Account":"` + to + `"}`
	}
	return strings.Join(out, ",")
}

// BenchmarkFollowAdd is one follow_add of 20 targets, all newly followed, through the local
// server's handler: UserSig (cached), JSON checks, one SQLite transaction (accounts, 20 follows,
// counts, the outbox row) and the answer. Its sub-benchmarks price the webhook: without one,
// with the outbox row written in the transaction, and with the event delivered as well.
func BenchmarkFollowAdd(b *testing.B) {
	for _, webhooks := range []string{webhooksOff, webhooksOutbox, webhooksDelivered} {
		b.Run(webhooks, func(b *testing.B) {
			s := benchServer(b, webhooks, "f", "t")
			// Iteration i: f(i mod 1000) follows a window of 20 targets that moves by 20 every 1000
			// iterations, so every follow is new for the first 50000 iterations.
			body := func(i int) string {
				from := fmt.Sprintf("f%03d", i%1000)
				tos := make([]string, 20)
				for k := range tos {
					tos[k] = fmt.Sprintf("t%03d", (20*(i/1000)+k)%1000)
				}
				return `{"From_Account":"` + from + `","FollowItem":[` + items(tos) + `]}`
			}
			b.ReportAllocs()
			defer cpuPerOp(b)()
			i := 0
			for b.Loop() {
				serve(b, s, "follow/follow_add", body(i))
				i++
			}
			if i > 50000 {
				b.Logf("%d iterations: past 50000 some follows already existed", i)
			}
		})
	}
}

// BenchmarkFollowCheck is one follow_check of 20 targets (a mix of none, following, followed
// by and mutual) through the local server's handler.
func BenchmarkFollowCheck(b *testing.B) {
	s := benchServer(b, webhooksDelivered, "t")
	s.Import(b, "a")
	tos := make([]string, 20)
	for k := range tos {
		tos[k] = fmt.Sprintf("t%03d", k)
	}
	serve(b, s, "follow/follow_add", `{"From_Account":"a","FollowItem":[`+items(tos[:10])+`]}`)
	for _, to := range tos[5:15] {
		serve(b, s, "follow/follow_add", `{"From_Account":"`+to+`","FollowItem":[{"To_Account":"a"}]}`)
	}
	body := `{"From_Account":"a","To_Account":["` + strings.Join(tos, `","`) + `"]}`
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		defer cpuPerOp(b)()
		for b.Loop() {
			serve(b, s, "follow/follow_check", body)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		defer cpuPerOp(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				serve(b, s, "follow/follow_check", body)
			}
		})
	})
}
