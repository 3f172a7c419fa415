package destroyofficialaccount_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	ot "github.com/chatfollow/chatfollow/shared/official/officialtest"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook/webhooktest"
)

func TestDestroy(t *testing.T) {
	cases := []struct {
		name string
		body string
		code int // 0: success
	}{
		{"documentation sample", `{"Official_Account":"@TOA#_@TOA#dOEF"}`, 0},
		{"destroyed already", `{"Official_Account":"@TOA#_@TOA#dOEF"}`, 130004},
		{"custom ID", `{"Official_Account":"@TOA#_x"}`, 0},
		{"never existed", `{"Official_Account":"@TOA#_nothing"}`, 130004},
		{"not an official-account ID", `{"Official_Account":"x"}`, 130007},
		{"empty", `{"Official_Account":""}`, 130007},
		{"missing", `{}`, 6017},
		{"not a string", `{"Official_Account":7}`, 60015},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			rcv := webhooktest.New(t)
			s := servertest.Start(t, b.URL(t), ot.WithReceiver(rcv))
			s.Import(t, "owner", "u1", "u2")
			ot.Put(t, s, store.OfficialAccount{ID: "@TOA#_@TOA#dOEF", Owner: "owner", Name: "doc"})
			ot.Call(t, s, "create_official_account", `{"Owner_Account":"owner","Name":"x","OfficialAccountUserID":"@TOA#_x"}`)
			ot.Call(t, s, "add_subscriber", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberList":[{"Subscriber_Account":"u1"},{"Subscriber_Account":"u2"}]}`)
			ot.Call(t, s, "add_subscriber", `{"Official_Account":"@TOA#_x","SubscriberList":[{"Subscriber_Account":"u1"}]}`)
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					got := ot.Call(t, s, "destroy_official_account", tc.body)
					if tc.code != 0 {
						ot.RequireFail(t, got, tc.code)
						return
					}
					require.JSONEq(t, ot.OK, got)
				})
			}

			// The subscriptions went with the official accounts, and only the destroyed
			// webhooks fired for them (no after-delete-subscriber).
			list := ot.Call(t, s, "get_subscribed_official_account_list", `{"Subscriber_Account":"u1"}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[],"TotalCount":0,"CompleteFlag":1,"Next":""}`, list)
			ot.Drained(t, s)
			assert.ElementsMatch(t, []string{
				`{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountDestroyed","EventTime":0,"Name":"doc","Official_Account":"@TOA#_@TOA#dOEF","Owner_Account":"owner"}`,
				`{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountDestroyed","EventTime":0,"Name":"x","Official_Account":"@TOA#_x","Owner_Account":"owner"}`,
			}, ot.Bodies(t, rcv, protocol.CallbackAfterOfficialAccountDestroyed), "official accounts are delivered in parallel, each in its own order")
			assert.Empty(t, ot.Bodies(t, rcv, protocol.CallbackAfterDeleteSubscriber))
			for _, call := range []string{"get_subscriber_info", "add_subscriber", "delete_subscriber", "modify_official_account_base_info"} {
				ot.RequireFail(t, ot.Call(t, s, call, `{"Official_Account":"@TOA#_x","Limit":1,"Name":"n","SubscriberList":[{"Subscriber_Account":"u1"}]}`), 130004)
			}
		})
	}
}
