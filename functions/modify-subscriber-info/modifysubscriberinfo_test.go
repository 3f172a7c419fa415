package modifysubscriberinfo_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	ot "github.com/chatfollow/chatfollow/localserver/servertest/officialtest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// docSample is a modify_subscriber_info request in the documentation's form.
const docSample = `{
	"Official_Account": "@TOA#_@TOA#dOEF",
	"Subscriber_Account": "107867",
	"CustomString": "test_custom_string"
}`

func TestModifySubscriber(t *testing.T) {
	oa := `"Official_Account":"@TOA#_@TOA#dOEF",`
	cases := []struct {
		name string
		body string
		code int // 0: success
	}{
		{"documentation sample", docSample, 0},
		{"CustomString of 3000 bytes", `{` + oa + `"Subscriber_Account":"other","CustomString":"` + strings.Repeat("字", 1000) + `"}`, 0},
		{"CustomString over 3000 bytes", `{` + oa + `"Subscriber_Account":"other","CustomString":"` + strings.Repeat("字", 1000) + `x"}`, 6017},
		{"CustomString missing", `{` + oa + `"Subscriber_Account":"107867"}`, 6017},
		{"CustomString not a string", `{` + oa + `"Subscriber_Account":"107867","CustomString":1}`, 6017},
		{"Subscriber_Account missing", `{` + oa + `"CustomString":"x"}`, 6017},
		{"Subscriber_Account not imported", `{` + oa + `"Subscriber_Account":"nobody","CustomString":"x"}`, 6017},
		{"Subscriber_Account not subscribed", `{` + oa + `"Subscriber_Account":"outside","CustomString":"x"}`, 6017},
		{"Subscriber_Account not a string", `{` + oa + `"Subscriber_Account":1,"CustomString":"x"}`, 60015},
		{"Official_Account missing", `{"Subscriber_Account":"107867","CustomString":"x"}`, 6017},
		{"Official_Account malformed", `{"Official_Account":"x","Subscriber_Account":"107867","CustomString":"x"}`, 130007},
		{"Official_Account unknown", `{"Official_Account":"@TOA#_none","Subscriber_Account":"107867","CustomString":"x"}`, 130004},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "107867", "other", "outside")
			ot.Put(t, s, store.OfficialAccount{ID: "@TOA#_@TOA#dOEF", Owner: "107867", Name: "doc"})
			ot.Call(t, s, "add_subscriber", `{"Official_Account":"@TOA#_@TOA#dOEF","SubscriberList":[{"Subscriber_Account":"107867"},{"Subscriber_Account":"other"}]}`)
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					got := ot.Call(t, s, "modify_subscriber_info", tc.body)
					if tc.code != 0 {
						ot.RequireFail(t, got, tc.code)
						return
					}
					require.JSONEq(t, ot.OK, got)
				})
			}
			info := ot.Call(t, s, "get_subscriber_info", `{"Official_Account":"@TOA#_@TOA#dOEF","Next":""}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberNum":2,"Next":"","SubscriberList":[
				{"Subscriber_Account":"other","SubscribeTime":0,"CustomString":"`+strings.Repeat("字", 1000)+`","MsgFlag":"AcceptAndNotify","LastSendMsgTime":0},
				{"Subscriber_Account":"107867","SubscribeTime":0,"CustomString":"test_custom_string","MsgFlag":"AcceptAndNotify","LastSendMsgTime":0}]}`,
				ot.Blank(t, info))
		})
	}
}
