package modifyofficialaccountbaseinfo_test

import (
	"strings"
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

// docSample is the request of Tencent's documentation of modify_official_account_base_info.
const docSample = `{
	"Official_Account": "@TOA#_@TOA#dOEF",
	"CustomString": "modify_custom_string",
	"FaceUrl": "http://this.is.face.url",
	"Introduction": "This is modify test Introduction",
	"Name": "test_modify_official_account",
	"Organization": "modify_organization",
	"MaxSubscriberNum":1000
}`

func TestModify(t *testing.T) {
	doc := `{"Official_Account":"@TOA#_@TOA#dOEF",`
	cases := []struct {
		name string
		body string
		code int // 0: success
	}{
		{"documentation sample", docSample, 0},
		{"one field, the others keep their values", doc + `"Introduction":"only this"}`, 0},
		{"Name of 150 bytes", doc + `"Name":"` + strings.Repeat("名", 50) + `"}`, 0},
		{"Name over 150 bytes", doc + `"Name":"` + strings.Repeat("名", 50) + `x"}`, 6017},
		{"Name empty", doc + `"Name":""}`, 6017},
		{"Introduction over 400 bytes", doc + `"Introduction":"` + strings.Repeat("i", 401) + `"}`, 6017},
		{"FaceUrl over 500 bytes", doc + `"FaceUrl":"` + strings.Repeat("f", 501) + `"}`, 6017},
		{"Organization over 500 bytes", doc + `"Organization":"` + strings.Repeat("o", 501) + `"}`, 6017},
		{"CustomString over 3000 bytes", doc + `"CustomString":"` + strings.Repeat("c", 3001) + `"}`, 6017},
		{"MaxSubscriberNum 0", doc + `"MaxSubscriberNum":0}`, 6017},
		{"MaxSubscriberNum not an integer", doc + `"MaxSubscriberNum":"1"}`, 6017},
		{"nothing to change", `{"Official_Account":"@TOA#_@TOA#dOEF"}`, 6017},
		{"Official_Account missing", `{"Name":"n"}`, 6017},
		{"Official_Account malformed", `{"Official_Account":"dOEF","Name":"n"}`, 130007},
		{"Official_Account unknown", `{"Official_Account":"@TOA#_nobody","Name":"n"}`, 130004},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			rcv := webhooktest.New(t)
			s := servertest.Start(t, b.URL(t), ot.WithReceiver(rcv))
			s.Import(t, "owner")
			ot.Put(t, s, store.OfficialAccount{ID: "@TOA#_@TOA#dOEF", Owner: "owner", Name: "before", CustomString: "keep"})
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					got := ot.Call(t, s, "modify_official_account_base_info", tc.body)
					if tc.code != 0 {
						ot.RequireFail(t, got, tc.code)
						return
					}
					require.JSONEq(t, ot.OK, got)
				})
			}
			info := ot.Call(t, s, "get_official_account_info", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_@TOA#dOEF"}]}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{
				"Official_Account":"@TOA#_@TOA#dOEF","ResultCode":0,"ResultInfo":"","CreateTime":0,
				"Name":"`+strings.Repeat("名", 50)+`","Owner_Account":"owner","LastMsgTime":0,"SubscriberNum":0,
				"Introduction":"only this","FaceUrl":"http://this.is.face.url","Organization":"modify_organization",
				"CustomString":"modify_custom_string","MaxSubscriberNum":1000}]}`, ot.Blank(t, info))

			ot.Drained(t, s)
			assert.Equal(t, []string{
				`{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountInfoChanged","EventTime":0,"FaceUrl":"http://this.is.face.url","Introduction":"This is modify test Introduction","Name":"test_modify_official_account","Official_Account":"@TOA#_@TOA#dOEF","Operator_Account":"administrator","Organization":"modify_organization"}`,
				`{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountInfoChanged","EventTime":0,"FaceUrl":"http://this.is.face.url","Introduction":"only this","Name":"test_modify_official_account","Official_Account":"@TOA#_@TOA#dOEF","Operator_Account":"administrator","Organization":"modify_organization"}`,
				`{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountInfoChanged","EventTime":0,"FaceUrl":"http://this.is.face.url","Introduction":"only this","Name":"` + strings.Repeat("名", 50) + `","Official_Account":"@TOA#_@TOA#dOEF","Operator_Account":"administrator","Organization":"modify_organization"}`,
			}, ot.Bodies(t, rcv, protocol.CallbackAfterOfficialAccountInfoChanged), "one webhook per successful call, none for refused ones")
		})
	}
}
