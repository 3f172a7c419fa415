package deletesubscriber_test

import (
	"strings"
	"testing"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	ot "github.com/chatfollow/chatfollow/shared/official/officialtest"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook/webhooktest"
)

// docSample is a delete_subscriber request in the documentation's form.
const docSample = `{
	"Official_Account": "@TOA#_@TOA#dOEF",
	"SubscriberToDel_Account": ["107867", "966582476"]
}`

func strs(prefix string, n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = `"` + prefix + `"`
	}
	return strings.Join(items, ",")
}

func TestDelete(t *testing.T) {
	cases := []struct {
		name string
		body string
		want string // the whole answer; "" for a failure
		code int
	}{
		{"documentation sample", docSample, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberList":[
			{"Subscriber_Account":"107867","Result":1},{"Subscriber_Account":"966582476","Result":1}]}`, 0},
		{"again: not subscribed", docSample, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberList":[
			{"Subscriber_Account":"107867","Result":2},{"Subscriber_Account":"966582476","Result":2}]}`, 0},
		{"as SubscriberList objects", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberList":[{"Subscriber_Account":"a"},{"Subscriber_Account":"b"},{"Subscriber_Account":"a"}]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberList":[
			{"Subscriber_Account":"a","Result":1},{"Subscriber_Account":"b","Result":2}]}`, 0},
		{"not imported and invalid accounts fail", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberToDel_Account":["nobody","","c"]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberList":[
			{"Subscriber_Account":"nobody","Result":0},{"Subscriber_Account":"","Result":0},{"Subscriber_Account":"c","Result":1}]}`, 0},
		{"100 items", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberToDel_Account":[` + strs("a", 100) + `]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberList":[{"Subscriber_Account":"a","Result":2}]}`, 0},
		{"101 items", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberToDel_Account":[` + strs("a", 101) + `]}`, "", 6017},
		{"101 objects", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberList":[` + strings.Repeat(`{"Subscriber_Account":"a"},`, 100) + `{"Subscriber_Account":"a"}]}`, "", 6017},
		{"both lists", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberToDel_Account":["a"],"SubscriberList":[{"Subscriber_Account":"b"}]}`, "", 6017},
		{"no list", `{"Official_Account":"@TOA#_@TOA#dOEF"}`, "", 6017},
		{"empty list", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberToDel_Account":[]}`, "", 6017},
		{"object without Subscriber_Account", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberList":[{}]}`, "", 6017},
		{"account not a string", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberToDel_Account":[1]}`, "", 60015},
		{"Official_Account malformed", `{"Official_Account":"@TOA","SubscriberToDel_Account":["a"]}`, "", 130007},
		{"Official_Account unknown", `{"Official_Account":"@TOA#_gone","SubscriberToDel_Account":["a"]}`, "", 130004},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			rcv := webhooktest.New(t)
			s := servertest.Start(t, b.URL(t), ot.WithReceiver(rcv))
			s.Import(t, "107867", "966582476", "a", "b", "c")
			ot.Put(t, s, store.OfficialAccount{ID: "@TOA#_@TOA#dOEF", Owner: "107867", Name: "doc"})
			ot.Call(t, s, "add_subscriber", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberList":[{"Subscriber_Account":"107867"},
				{"Subscriber_Account":"966582476"},{"Subscriber_Account":"a"},{"Subscriber_Account":"c"}]}`)
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					got := ot.Call(t, s, "delete_subscriber", tc.body)
					if tc.code != 0 {
						ot.RequireFail(t, got, tc.code)
						return
					}
					require.JSONEq(t, tc.want, got)
				})
			}
			info := ot.Call(t, s, "get_subscriber_info", `{"Official_Account":"@TOA#_@TOA#dOEF"}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberNum":0,"Next":"","SubscriberList":[]}`, info)

			ot.Drained(t, s)
			deleted := `{"CallbackCommand":"OfficialAccount.CallbackAfterDeleteSubscriber","EventTime":0,"Official_Account":"@TOA#_@TOA#dOEF","Operator_Account":"administrator","SubscribeAccountList":[%s]}`
			assert.Equal(t, []string{
				strings.Replace(deleted, "%s", `{"Subscriber_Account":"107867"},{"Subscriber_Account":"966582476"}`, 1),
				strings.Replace(deleted, "%s", `{"Subscriber_Account":"a"}`, 1),
				strings.Replace(deleted, "%s", `{"Subscriber_Account":"c"}`, 1),
			}, ot.Bodies(t, rcv, protocol.CallbackAfterDeleteSubscriber), "only accounts actually removed, and no webhook for calls that removed none")
		})
	}
}

// TestAccountDeleteRemovesSubscriptions deletes a subscribed account: every official account loses
// it, and one after-delete-subscriber webhook per official account reaches the receiver.
func TestAccountDeleteRemovesSubscriptions(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			rcv := webhooktest.New(t)
			s := servertest.Start(t, b.URL(t), ot.WithReceiver(rcv))
			s.Import(t, "owner", "gone", "stays")
			for _, id := range []string{"@TOA#_one", "@TOA#_two", "@TOA#_three"} {
				ot.Call(t, s, "create_official_account", `{"Owner_Account":"owner","Name":"n","OfficialAccountUserID":"`+id+`"}`)
			}
			for _, id := range []string{"@TOA#_one", "@TOA#_two"} {
				ot.Call(t, s, "add_subscriber", `{"Official_Account":"`+id+`","SubscriberList":[{"Subscriber_Account":"gone"},{"Subscriber_Account":"stays"}]}`)
			}
			ot.Call(t, s, "add_subscriber", `{"Official_Account":"@TOA#_three","SubscriberList":[{"Subscriber_Account":"stays"}]}`)
			ot.Drained(t, s)
			require.Empty(t, ot.Bodies(t, rcv, protocol.CallbackAfterDeleteSubscriber))

			s.Call(t, "im_open_login_svc/account_delete", `{"DeleteItem":[{"UserID":"gone"}]}`)
			got := ot.WaitBodies(t, rcv, protocol.CallbackAfterDeleteSubscriber, 2)
			deleted := `{"CallbackCommand":"OfficialAccount.CallbackAfterDeleteSubscriber","EventTime":0,"Official_Account":"%s","Operator_Account":"administrator","SubscribeAccountList":[{"Subscriber_Account":"gone"}]}`
			assert.ElementsMatch(t, []string{
				strings.Replace(deleted, "%s", "@TOA#_one", 1), strings.Replace(deleted, "%s", "@TOA#_two", 1),
			}, got)
			for _, r := range rcv.Requests() {
				if r.Command() == protocol.CallbackAfterDeleteSubscriber {
					assert.Equal(t, "RESTAPI", r.Query.Get("OptPlatform"))
					assert.Equal(t, "127.0.0.1", r.Query.Get("ClientIP"))
				}
			}

			info := ot.Call(t, s, "get_official_account_info", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_one"},{"Official_Account":"@TOA#_two"},{"Official_Account":"@TOA#_three"}],
				"ResponseFilter":{"OfficialAccountBaseInfoFilter":["SubscriberNum"]}}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[
				{"Official_Account":"@TOA#_one","ResultCode":0,"ResultInfo":"","SubscriberNum":1},
				{"Official_Account":"@TOA#_two","ResultCode":0,"ResultInfo":"","SubscriberNum":1},
				{"Official_Account":"@TOA#_three","ResultCode":0,"ResultInfo":"","SubscriberNum":1}]}`, info)

			// Imported again, the account starts without subscriptions.
			s.Import(t, "gone")
			var list struct{ TotalCount int }
			require.NoError(t, json.Unmarshal([]byte(ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"gone"}`)), &list))
			assert.Zero(t, list.TotalCount)
			time.Sleep(50 * time.Millisecond)
			assert.Len(t, ot.Bodies(t, rcv, protocol.CallbackAfterDeleteSubscriber), 2, "no further webhook")
		})
	}
}
