package addsubscriber_test

import (
	"fmt"
	"testing"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	ot "github.com/chatfollow/chatfollow/localserver/servertest/officialtest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook/webhooktest"
)

// BenchmarkAddSubscriber100 is one add_subscriber call adding 100 imported accounts to a new
// official account, over loopback HTTP through the gateway (UserSig, JSON, one transaction):
// without a callback URL, and with one (before-add webhook to a loopback receiver, after-add
// webhook written to the outbox and delivered in the background).
func BenchmarkAddSubscriber100(b *testing.B) {
	accounts := names("bench", 100)
	body := func(oa string) string { return add(oa, accounts...) }
	for _, backend := range storetest.Backends() {
		for _, hooks := range []bool{false, true} {
			name := backend.Name + "/no-webhooks"
			var opts []servertest.Option
			if hooks {
				name = backend.Name + "/webhooks"
				opts = append(opts, ot.WithReceiver(webhooktest.New(b)))
			}
			b.Run(name, func(b *testing.B) {
				s := servertest.Start(b, backend.URL(b), opts...)
				s.Import(b, append([]string{"owner"}, accounts...)...)
				// A new official account per iteration, made beforehand: the CPU clock of
				// ot.ReportCPU does not stop with b.StopTimer.
				oas := make([]string, b.N)
				for i := range oas {
					oas[i] = fmt.Sprintf("@TOA#_bench%d", i)
					ot.Put(b, s, store.OfficialAccount{ID: oas[i], Owner: "owner", Name: "bench"})
				}
				b.ResetTimer()
				ot.ReportCPU(b, func() {
					for _, oa := range oas {
						if got := decode(b, ot.Call(b, s, "add_subscriber", body(oa))); len(got) != 100 || got[99].Result != 1 {
							b.Fatalf("unexpected answer %v", got)
						}
					}
				})
			})
		}
	}
}
