package getsubscriberinfo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	ot "github.com/chatfollow/chatfollow/localserver/servertest/officialtest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// BenchmarkGetSubscriberInfoPage200 is one get_subscriber_info call returning a page of 200 from
// an official account with 100,000 subscribers (accounts imported), over loopback HTTP through
// the gateway: the first page, and a page 50,000 entries deep reached with its Next cursor.
func BenchmarkGetSubscriberInfoPage200(b *testing.B) {
	const total, chunk = 100_000, 1000
	for _, backend := range storetest.Backends() {
		b.Run(backend.Name, func(b *testing.B) {
			s := servertest.Start(b, backend.URL(b))
			ot.Put(b, s, store.OfficialAccount{ID: "@TOA#_big", Owner: "owner", Name: "big", MaxSubscribers: total})
			ctx := context.Background()
			now := time.Now()
			for start := 0; start < total; start += chunk {
				ids := make([]string, chunk)
				for i := range ids {
					ids[i] = fmt.Sprintf("user%06d", start+i)
				}
				if err := s.App.Store.Update(ctx, func(tx store.Tx) error {
					for _, id := range ids {
						if err := tx.PutAccount(ctx, store.Account{UserID: id, CreatedAt: now}); err != nil {
							return err
						}
					}
					_, err := tx.Subscribe(ctx, "@TOA#_big", ids, now)
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
			// The Next of the page that ends 50,000 entries deep, found by paging.
			next := ""
			for range total / 2 / 200 {
				next = get(b, s, `{"Official_Account":"@TOA#_big","Limit":200,"Next":"`+next+`"}`).Next
			}
			for _, page := range []struct{ name, next string }{{"first", ""}, {"deep", next}} {
				b.Run(page.name, func(b *testing.B) {
					body := `{"Official_Account":"@TOA#_big","Limit":200,"Next":"` + page.next + `"}`
					ot.ReportCPU(b, func() {
						for b.Loop() {
							if p := get(b, s, body); len(p.SubscriberList) != 200 || p.SubscriberNum != total {
								b.Fatalf("page of %d, SubscriberNum %d", len(p.SubscriberList), p.SubscriberNum)
							}
						}
					})
				})
			}
		})
	}
}
