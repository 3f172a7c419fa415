package getsubscriberinfo_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	ot "github.com/chatfollow/chatfollow/localserver/servertest/officialtest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// docSample is the request of Tencent's documentation of get_subscriber_info.
const docSample = `{"Official_Account": "@TOA#_test_for_penn", "Limit": 50, "Next": ""}`

type page struct {
	ActionStatus   string
	SubscriberNum  int
	Next           string
	SubscriberList []struct {
		Subscriber_Account string
		SubscribeTime      int64
		CustomString       string
		MsgFlag            string
	}
}

func get(t testing.TB, s *servertest.Server, body string) page {
	t.Helper()
	answer := ot.Call(t, s, "get_subscriber_info", body)
	var p page
	require.NoError(t, json.Unmarshal([]byte(answer), &p), "answer: %s", answer)
	require.Equal(t, "OK", p.ActionStatus, "answer: %s", answer)
	return p
}

func accounts(p page) []string {
	out := make([]string, len(p.SubscriberList))
	for i, e := range p.SubscriberList {
		out[i] = e.Subscriber_Account
	}
	return out
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	return out
}

// subscribe subscribes accounts to oa, through the store for speed.
func subscribe(t testing.TB, s *servertest.Server, oa string, accounts ...string) {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, s.App.Store.Update(ctx, func(tx store.Tx) error {
		_, err := tx.Subscribe(ctx, oa, accounts, time.Now())
		return err
	}))
}

func TestGetSubscriberInfo(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			all := names("s", 120)
			s.Import(t, "owner")
			s.Import(t, all...)
			ot.Put(t, s, store.OfficialAccount{ID: "@TOA#_test_for_penn", Owner: "owner", Name: "penn"},
				store.OfficialAccount{ID: "@TOA#_other", Owner: "owner", Name: "other"})
			subscribe(t, s, "@TOA#_test_for_penn", all...)
			newest := slices.Clone(all)
			slices.Reverse(newest)

			t.Run("documentation sample, then every page", func(t *testing.T) {
				p := get(t, s, docSample)
				require.Equal(t, 120, p.SubscriberNum)
				require.NotEmpty(t, p.Next)
				got := accounts(p)
				require.Equal(t, newest[:50], got)
				e := p.SubscriberList[0]
				assert.Equal(t, "AcceptAndNotify", e.MsgFlag)
				assert.Equal(t, "", e.CustomString)
				assert.InDelta(t, time.Now().Unix(), e.SubscribeTime, 60)
				for p.Next != "" {
					p = get(t, s, `{"Official_Account":"@TOA#_test_for_penn","Limit":50,"Next":"`+p.Next+`"}`)
					got = append(got, accounts(p)...)
				}
				require.Equal(t, newest, got, "newest subscription first, each once")
			})
			t.Run("a page that ends exactly at the end", func(t *testing.T) {
				p := get(t, s, `{"Official_Account":"@TOA#_test_for_penn","Limit":60}`)
				p = get(t, s, `{"Official_Account":"@TOA#_test_for_penn","Limit":60,"Next":"`+p.Next+`"}`)
				assert.Equal(t, newest[60:], accounts(p))
				assert.Empty(t, p.Next)
			})
			for _, body := range []string{`{"Official_Account":"@TOA#_test_for_penn"}`, `{"Official_Account":"@TOA#_test_for_penn","Limit":0,"Next":""}`} {
				t.Run("all at once: "+body, func(t *testing.T) {
					p := get(t, s, body)
					assert.Equal(t, newest, accounts(p))
					assert.Empty(t, p.Next)
				})
			}
			t.Run("no subscribers", func(t *testing.T) {
				require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberNum":0,"Next":"","SubscriberList":[]}`,
					ot.Call(t, s, "get_subscriber_info", `{"Official_Account":"@TOA#_other","Limit":10}`))
			})

			next := get(t, s, `{"Official_Account":"@TOA#_test_for_penn","Limit":1}`).Next
			tampered := []byte(next)
			tampered[len(tampered)/2] ^= 1
			failures := []struct {
				name string
				body string
				code int
			}{
				{"Limit 201", `{"Official_Account":"@TOA#_test_for_penn","Limit":201}`, 6017},
				{"Limit negative", `{"Official_Account":"@TOA#_test_for_penn","Limit":-1}`, 6017},
				{"Limit a string", `{"Official_Account":"@TOA#_test_for_penn","Limit":"5"}`, 6017},
				{"Next changed", `{"Official_Account":"@TOA#_test_for_penn","Next":"` + string(tampered) + `"}`, 6017},
				{"Next of another official account", `{"Official_Account":"@TOA#_other","Next":"` + next + `"}`, 6017},
				{"Next made up", `{"Official_Account":"@TOA#_test_for_penn","Next":"TGSOTk="}`, 6017},
				{"Next a number", `{"Official_Account":"@TOA#_test_for_penn","Next":5}`, 6017},
				{"Official_Account missing", `{"Limit":5}`, 6017},
				{"Official_Account malformed", `{"Official_Account":"penn"}`, 130007},
				{"Official_Account unknown", `{"Official_Account":"@TOA#_penn"}`, 130004},
				{"Official_Account not a string", `{"Official_Account":{"id":"@TOA#_test_for_penn"}}`, 60015},
				{"Official_Account a list", `{"Official_Account":["@TOA#_test_for_penn"]}`, 60015}, // docs/wire.md 7: an account-ID field that is present but not a string
			}
			for _, tc := range failures {
				t.Run(tc.name, func(t *testing.T) { ot.RequireFail(t, ot.Call(t, s, "get_subscriber_info", tc.body), tc.code) })
			}
		})
	}
}

// TestPagingWhileSubscriptionsChange pages through the subscribers while others subscribe and
// unsubscribe between pages: no entry repeats, and every subscriber present throughout is listed.
func TestPagingWhileSubscriptionsChange(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			stable := names("keep", 40)
			churn := names("churn", 40)
			s.Import(t, "owner")
			s.Import(t, append(stable, churn...)...)
			ot.Put(t, s, store.OfficialAccount{ID: "@TOA#_moving", Owner: "owner", Name: "m"})
			mixed := make([]string, 0, 80)
			for i := range stable {
				mixed = append(mixed, stable[i], churn[i])
			}
			subscribe(t, s, "@TOA#_moving", mixed...)
			seen := map[string]int{}
			p := get(t, s, `{"Official_Account":"@TOA#_moving","Limit":7}`)
			for i := 0; ; i++ {
				for _, a := range accounts(p) {
					seen[a]++
				}
				if p.Next == "" {
					break
				}
				// Between pages: a churning account leaves, one comes back (at the end), and a
				// stable one's subscription is touched by a repeated add.
				c := churn[(i*3)%len(churn)]
				body, _ := json.Marshal(map[string]any{"Official_Account": "@TOA#_moving", "SubscriberToDel_Account": []string{c}})
				ot.Call(t, s, "delete_subscriber", string(body))
				ot.Call(t, s, "add_subscriber", `{"Official_Account":"@TOA#_moving","SubscriberList":[{"Subscriber_Account":"`+churn[(i*7+1)%len(churn)]+`"},{"Subscriber_Account":"`+stable[i%len(stable)]+`"}]}`)
				p = get(t, s, `{"Official_Account":"@TOA#_moving","Limit":7,"Next":"`+p.Next+`"}`)
			}
			for _, a := range stable {
				assert.Equal(t, 1, seen[a], "stable subscriber %s is listed exactly once", a)
			}
			for a, n := range seen {
				assert.Equal(t, 1, n, "%s is listed once", a)
			}
			final := get(t, s, `{"Official_Account":"@TOA#_moving"}`)
			assert.Len(t, final.SubscriberList, final.SubscriberNum)
		})
	}
}
