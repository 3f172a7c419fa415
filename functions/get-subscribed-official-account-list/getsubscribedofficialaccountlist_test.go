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

// docSample is the request of Tencent's documentation of get_subscribed_official_account_list
// (its Offset is not supported and ignored).
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
	Next                    string
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
				"SubscriberNum":1,"Introduction":"intro","FaceUrl":"http://face","Organization":"org","CustomString":"mine",
				"SubscribeTime":0,"SelfInfo":{"SubscribeTime":0,"CustomString":"mine"}}],
				"TotalCount":1,"CompleteFlag":1,"Next":""}`, ot.Blank(t, got))

			unfiltered := ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"107867"}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{
				"Official_Account":"@TOA#_test_for_penn","CreateTime":0,"Name":"penn","Owner_Account":"owner","LastMsgTime":0,
				"SubscriberNum":1,"Introduction":"intro","FaceUrl":"http://face","Organization":"org","CustomString":"mine",
				"MaxSubscriberNum":9,"SubscribeTime":0,"MsgFlag":"AcceptAndNotify",
				"SelfInfo":{"SubscribeTime":0,"MsgFlag":"AcceptAndNotify","CustomString":"mine"}}],
				"TotalCount":1,"CompleteFlag":1,"Next":""}`, ot.Blank(t, unfiltered), "without a filter every field is returned")

			none := ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"107867",
				"ResponseFilter":{"OfficialAccountBaseInfoFilter":[],"SelfInfoFilter":[]}}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{"Official_Account":"@TOA#_test_for_penn"}],
				"TotalCount":1,"CompleteFlag":1,"Next":""}`, none, "empty filters select no field")

			mine := ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"107867",
				"ResponseFilter":{"OfficialAccountBaseInfoFilter":["Name"],"SelfInfoFilter":["MsgFlag","CustomString"]}}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{"Official_Account":"@TOA#_test_for_penn",
				"Name":"penn","MsgFlag":"AcceptAndNotify","CustomString":"mine","SelfInfo":{"MsgFlag":"AcceptAndNotify","CustomString":"mine"}}],
				"TotalCount":1,"CompleteFlag":1,"Next":""}`, mine, "the item's CustomString is the subscription's, as docs/wire.md lists it")

			theirs := ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"107867",
				"ResponseFilter":{"OfficialAccountBaseInfoFilter":["CustomString"],"SelfInfoFilter":["MsgFlag"]}}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{"Official_Account":"@TOA#_test_for_penn",
				"CustomString":"oa custom","MsgFlag":"AcceptAndNotify","SelfInfo":{"MsgFlag":"AcceptAndNotify"}}],
				"TotalCount":1,"CompleteFlag":1,"Next":""}`, theirs, "without the subscription's, the official account's CustomString shows")
		})
	}
}

func TestPaging(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "owner", "fan", "other", "loner")
			all := subscribeTo(t, s, "fan", "f", 205)
			subscribeTo(t, s, "other", "o", 3)

			t.Run("default page of 200", func(t *testing.T) {
				p := get(t, s, `{"Subscriber_Account":"fan"}`)
				assert.Equal(t, all[:200], ids(p))
				assert.Equal(t, 205, p.TotalCount)
				assert.Equal(t, 0, p.CompleteFlag)
				require.NotEmpty(t, p.Next)
				p = get(t, s, `{"Subscriber_Account":"fan","Next":"`+p.Next+`"}`)
				assert.Equal(t, all[200:], ids(p))
				assert.Equal(t, 1, p.CompleteFlag)
				assert.Empty(t, p.Next)
			})
			t.Run("pages of 50", func(t *testing.T) {
				var got []string
				p := get(t, s, `{"Subscriber_Account":"fan","Limit":50,"Next":""}`)
				for {
					got = append(got, ids(p)...)
					assert.Equal(t, 205, p.TotalCount)
					if p.CompleteFlag == 1 {
						assert.Empty(t, p.Next)
						break
					}
					p = get(t, s, `{"Subscriber_Account":"fan","Limit":50,"Next":"`+p.Next+`"}`)
				}
				assert.Equal(t, all, got)
			})
			t.Run("no subscription", func(t *testing.T) {
				require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[],"TotalCount":0,"CompleteFlag":1,"Next":""}`,
					ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"loner"}`))
			})
			t.Run("while subscriptions change", func(t *testing.T) {
				seen := map[string]int{}
				p := get(t, s, `{"Subscriber_Account":"fan","Limit":40}`)
				for i := 0; ; i++ {
					for _, id := range ids(p) {
						seen[id]++
					}
					if p.CompleteFlag == 1 {
						break
					}
					// Unsubscribe from one not yet listed and subscribe to it again: a new
					// subscription, made after the listing began, so it is not listed twice.
					id := all[len(all)-1-i]
					ot.Call(t, s, "delete_subscriber", `{"Official_Account":"`+id+`","SubscriberToDel_Account":["fan"]}`)
					ot.Call(t, s, "add_subscriber", `{"Official_Account":"`+id+`","SubscriberList":[{"Subscriber_Account":"fan"}]}`)
					p = get(t, s, `{"Subscriber_Account":"fan","Limit":40,"Next":"`+p.Next+`"}`)
				}
				for id, n := range seen {
					assert.Equal(t, 1, n, "%s listed once", id)
				}
				for _, id := range all[:len(all)-5] {
					assert.Equal(t, 1, seen[id], "%s, subscribed throughout, is listed", id)
				}
			})

			p := get(t, s, `{"Subscriber_Account":"fan","Limit":1}`)
			failures := []struct {
				name string
				body string
				code int
			}{
				{"Limit 201", `{"Subscriber_Account":"fan","Limit":201}`, 6017},
				{"Limit negative", `{"Subscriber_Account":"fan","Limit":-5}`, 6017},
				{"Next of another account", `{"Subscriber_Account":"other","Next":"` + p.Next + `"}`, 6017},
				{"Next made up", `{"Subscriber_Account":"fan","Next":"abc"}`, 6017},
				{"Subscriber_Account missing", `{}`, 6017},
				{"Subscriber_Account not imported", `{"Subscriber_Account":"nobody"}`, 6017},
				{"Subscriber_Account invalid", `{"Subscriber_Account":""}`, 6017},
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
