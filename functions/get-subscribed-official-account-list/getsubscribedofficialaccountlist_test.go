package getsubscribedofficialaccountlist_test

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

// docSample is the request of Tencent's documentation of get_subscribed_official_account_list.
const docSample = `{
	"Subscriber_Account": "107867",
	"Limit": 200,
	"Offset": 0,
	"ResponseFilter": {
		"OfficialAccountBaseInfoFilter": ["CreateTime", "Name", "Owner_Account", "LastMsgTime", "SubscriberNum",
			"Introduction", "FaceUrl", "Organization", "CustomString"],
		"SelfInfoFilter": ["SubscribeTime", "CustomString"]
	}
}`

type page struct {
	ActionStatus            string
	TotalCount              int
	CompleteFlag            int
	Next                    int
	OfficialAccountInfoList []struct{ Official_Account string }
}

func get(t testing.TB, s *servertest.Server, body string) page {
	t.Helper()
	answer := ot.Call(t, s, "get_subscribed_official_account_list", body)
	var p page
	require.NoError(t, json.Unmarshal([]byte(answer), &p), "answer: %s", answer)
	require.Equal(t, "OK", p.ActionStatus, "answer: %s", answer)
	return p
}

func ids(p page) []string {
	out := make([]string, len(p.OfficialAccountInfoList))
	for i, e := range p.OfficialAccountInfoList {
		out[i] = e.Official_Account
	}
	return out
}

// subscribeTo creates n official accounts @TOA#_<prefix>NNN and subscribes account to each, in
// order, through the store for speed; it returns their IDs newest subscription first.
func subscribeTo(t testing.TB, s *servertest.Server, account, prefix string, n int) []string {
	t.Helper()
	ctx := context.Background()
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("@TOA#_%s%03d", prefix, i)
		ot.Put(t, s, store.OfficialAccount{ID: out[i], Owner: "owner", Name: out[i]})
	}
	require.NoError(t, s.App.Store.Update(ctx, func(tx store.Tx) error {
		for _, id := range out {
			if _, err := tx.Subscribe(ctx, id, []string{account}, time.Now()); err != nil {
				return err
			}
		}
		return nil
	}))
	slices.Reverse(out)
	return out
}

func TestDocumentationSample(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "107867", "owner")
			ot.Put(t, s, store.OfficialAccount{ID: "@TOA#_test_for_penn", Owner: "owner", Name: "penn", Introduction: "intro",
				FaceURL: "http://face", Organization: "org", CustomString: "oa custom", MaxSubscribers: 9})
			ot.Call(t, s, "add_subscriber", `{"Official_Account":"@TOA#_test_for_penn","SubscriberList":[{"Subscriber_Account":"107867"}]}`)
			ot.Call(t, s, "modify_subscriber_info", `{"Official_Account":"@TOA#_test_for_penn","Subscriber_Account":"107867","CustomString":"mine"}`)

			got := ot.Call(t, s, "get_subscribed_official_account_list", docSample)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{
				"Official_Account":"@TOA#_test_for_penn","CreateTime":0,"Name":"penn","Owner_Account":"owner","LastMsgTime":0,
				"SubscriberNum":1,"Introduction":"intro","FaceUrl":"http://face","Organization":"org","CustomString":"oa custom",
				"SelfInfo":{"SubscribeTime":0,"CustomString":"mine"}}],
				"TotalCount":1,"CompleteFlag":1,"Next":0}`, ot.Blank(t, got), "the two CustomStrings are kept apart")

			unfiltered := ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"107867"}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{
				"Official_Account":"@TOA#_test_for_penn","CreateTime":0,"Name":"penn","Owner_Account":"owner","LastMsgTime":0,
				"SubscriberNum":1,"Introduction":"intro","FaceUrl":"http://face","Organization":"org","CustomString":"oa custom",
				"MaxSubscriberNum":9,"SelfInfo":{"SubscribeTime":0,"CustomString":"mine"}}],
				"TotalCount":1,"CompleteFlag":1,"Next":0}`, ot.Blank(t, unfiltered), "without a filter every field is returned")

			none := ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"107867",
				"ResponseFilter":{"OfficialAccountBaseInfoFilter":[],"SelfInfoFilter":[]}}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{"Official_Account":"@TOA#_test_for_penn","SelfInfo":{}}],
				"TotalCount":1,"CompleteFlag":1,"Next":0}`, none, "empty filters select no field; SelfInfo stays, empty")

			mine := ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"107867",
				"ResponseFilter":{"OfficialAccountBaseInfoFilter":["Name"],"SelfInfoFilter":["CustomString"]}}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{"Official_Account":"@TOA#_test_for_penn",
				"Name":"penn","SelfInfo":{"CustomString":"mine"}}],
				"TotalCount":1,"CompleteFlag":1,"Next":0}`, mine, "the subscription's CustomString only in SelfInfo")

			theirs := ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"107867",
				"ResponseFilter":{"OfficialAccountBaseInfoFilter":["CustomString"],"SelfInfoFilter":["SubscribeTime"]}}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{"Official_Account":"@TOA#_test_for_penn",
				"CustomString":"oa custom","SelfInfo":{"SubscribeTime":0}}],
				"TotalCount":1,"CompleteFlag":1,"Next":0}`, ot.Blank(t, theirs), "the official account's CustomString at the top level")
		})
	}
}

func TestPaging(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "owner", "fan", "other", "loner")
			all := subscribeTo(t, s, "fan", "f", 450)
			subscribeTo(t, s, "other", "o", 3)

			t.Run("pages of 200 by Offset", func(t *testing.T) {
				want := []struct {
					offset, n, complete, next int
				}{{0, 200, 0, 200}, {200, 200, 0, 400}, {400, 50, 1, 0}}
				var got []string
				offset := 0
				for _, w := range want {
					require.Equal(t, w.offset, offset)
					p := get(t, s, fmt.Sprintf(`{"Subscriber_Account":"fan","Limit":200,"Offset":%d}`, offset))
					assert.Len(t, p.OfficialAccountInfoList, w.n)
					assert.Equal(t, 450, p.TotalCount)
					assert.Equal(t, w.complete, p.CompleteFlag)
					assert.Equal(t, w.next, p.Next)
					got = append(got, ids(p)...)
					offset = p.Next
				}
				assert.Equal(t, all, got, "newest subscription first, none skipped or repeated")
			})
			t.Run("defaults: Limit 200, Offset 0", func(t *testing.T) {
				p := get(t, s, `{"Subscriber_Account":"fan"}`)
				assert.Equal(t, all[:200], ids(p))
				assert.Equal(t, 0, p.CompleteFlag)
				assert.Equal(t, 200, p.Next)
				p = get(t, s, `{"Subscriber_Account":"fan","Limit":0,"Offset":440}`)
				assert.Equal(t, all[440:], ids(p))
				assert.Equal(t, 1, p.CompleteFlag)
				assert.Equal(t, 0, p.Next)
			})
			t.Run("a page ending exactly at the end", func(t *testing.T) {
				p := get(t, s, `{"Subscriber_Account":"fan","Limit":50,"Offset":400}`)
				assert.Equal(t, all[400:], ids(p))
				assert.Equal(t, 1, p.CompleteFlag)
				assert.Equal(t, 0, p.Next)
			})
			for _, offset := range []string{"450", "451", "9223372036854775807"} {
				t.Run("Offset "+offset+" past the end", func(t *testing.T) {
					require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[],"TotalCount":450,"CompleteFlag":1,"Next":0}`,
						ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"fan","Offset":`+offset+`}`))
				})
			}
			t.Run("no subscription", func(t *testing.T) {
				require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[],"TotalCount":0,"CompleteFlag":1,"Next":0}`,
					ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"loner"}`))
			})

			failures := []struct {
				name string
				body string
				code int
			}{
				{"Limit 201", `{"Subscriber_Account":"fan","Limit":201}`, 6017},
				{"Limit negative", `{"Subscriber_Account":"fan","Limit":-5}`, 6017},
				{"Offset negative", `{"Subscriber_Account":"fan","Offset":-1}`, 6017},
				{"Offset not an integer", `{"Subscriber_Account":"fan","Offset":"200"}`, 6017},
				{"Offset fractional", `{"Subscriber_Account":"fan","Offset":1.5}`, 6017},
				{"Subscriber_Account missing", `{}`, 6017},
				{"Subscriber_Account not imported", `{"Subscriber_Account":"nobody"}`, 6017},
				{"Subscriber_Account invalid", `{"Subscriber_Account":""}`, 6017},
				{"Subscriber_Account with U+0000", `{"Subscriber_Account":"fan\u0000"}`, 6017},
				{"Subscriber_Account not a string", `{"Subscriber_Account":5}`, 60015},
				{"unknown base field", `{"Subscriber_Account":"fan","ResponseFilter":{"OfficialAccountBaseInfoFilter":["Nick"]}}`, 6017},
				{"unknown self field", `{"Subscriber_Account":"fan","ResponseFilter":{"SelfInfoFilter":["Name"]}}`, 6017},
			}
			for _, tc := range failures {
				t.Run(tc.name, func(t *testing.T) {
					ot.RequireFail(t, ot.Call(t, s, "get_subscribed_official_account_list", tc.body), tc.code)
				})
			}
		})
	}
}

// BenchmarkPage measures one page of 200 over 450 subscriptions through the REST handler, at
// the first Offset and at the last page's, on each store.
func BenchmarkPage(b *testing.B) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			s := servertest.Start(b, be.URL(b))
			s.Import(b, "owner", "fan")
			subscribeTo(b, s, "fan", "f", 450)
			for _, offset := range []int{0, 400} {
				b.Run(fmt.Sprintf("offset=%d", offset), func(b *testing.B) {
					body := fmt.Sprintf(`{"Subscriber_Account":"fan","Limit":200,"Offset":%d}`, offset)
					for b.Loop() {
						get(b, s, body)
					}
				})
			}
		})
	}
}
