package getofficialaccountinfo_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	ot "github.com/chatfollow/chatfollow/localserver/servertest/officialtest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// docSample is the request of Tencent's documentation of get_official_account_info.
const docSample = `{
	"OfficialAccountIdList": [
		{"Official_Account": "@TOA#_test_for_penn"},
		{"Official_Account": "@TOA#_@TOA#dZDP"}
	],
	"ResponseFilter": {
		"OfficialAccountBaseInfoFilter": ["CreateTime", "Name", "Owner_Account", "LastMsgTime", "SubscriberNum",
			"Introduction", "FaceUrl", "Organization", "CustomString"]
	}
}`

func list(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = `{"Official_Account":"@TOA#_` + strconv.Itoa(i) + `"}`
	}
	return `{"OfficialAccountIdList":[` + strings.Join(items, ",") + `]}`
}

func TestGetInfo(t *testing.T) {
	penn := `"Official_Account":"@TOA#_test_for_penn","ResultCode":0,"ResultInfo":""`
	cases := []struct {
		name string
		body string
		want string // the answer, times blanked; "" for a failure
		code int
	}{
		{"documentation sample", docSample, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[
			{` + penn + `,"CreateTime":0,"Name":"penn","Owner_Account":"107867","LastMsgTime":0,"SubscriberNum":1,
				"Introduction":"intro","FaceUrl":"http://face","Organization":"org","CustomString":"cs"},
			{"Official_Account":"@TOA#_@TOA#dZDP","ResultCode":130004,"ResultInfo":"official account does not exist or was destroyed"}]}`, 0},
		{"no filter: every field", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_test_for_penn"}]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[
			{` + penn + `,"CreateTime":0,"Name":"penn","Owner_Account":"107867","LastMsgTime":0,"SubscriberNum":1,
				"Introduction":"intro","FaceUrl":"http://face","Organization":"org","CustomString":"cs","MaxSubscriberNum":5}]}`, 0},
		{"filter without the base-info list: every field", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_test_for_penn"}],"ResponseFilter":{}}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[
			{` + penn + `,"CreateTime":0,"Name":"penn","Owner_Account":"107867","LastMsgTime":0,"SubscriberNum":1,
				"Introduction":"intro","FaceUrl":"http://face","Organization":"org","CustomString":"cs","MaxSubscriberNum":5}]}`, 0},
		{"two fields", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_test_for_penn"}],"ResponseFilter":{"OfficialAccountBaseInfoFilter":["SubscriberNum","Name"]}}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{` + penn + `,"Name":"penn","SubscriberNum":1}]}`, 0},
		{"empty filter: no field", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_test_for_penn"}],"ResponseFilter":{"OfficialAccountBaseInfoFilter":[]}}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[{` + penn + `}]}`, 0},
		{"repeated and malformed IDs", `{"OfficialAccountIdList":[{"Official_Account":"bad"},{"Official_Account":"@TOA#_test_for_penn"},{"Official_Account":"@TOA#_test_for_penn"}],
			"ResponseFilter":{"OfficialAccountBaseInfoFilter":["Owner_Account"]}}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","OfficialAccountInfoList":[
			{"Official_Account":"bad","ResultCode":130007,"ResultInfo":"Official_Account is not an official account ID"},
			{` + penn + `,"Owner_Account":"107867"}]}`, 0},
		{"50 IDs", list(50), "", 0},
		{"51 IDs", list(51), "", 6017},
		{"empty list", `{"OfficialAccountIdList":[]}`, "", 6017},
		{"list missing", `{}`, "", 6017},
		{"item without Official_Account", `{"OfficialAccountIdList":[{}]}`, "", 6017},
		{"Official_Account not a string", `{"OfficialAccountIdList":[{"Official_Account":1}]}`, "", 60015},
		{"unknown filter field", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_test_for_penn"}],"ResponseFilter":{"OfficialAccountBaseInfoFilter":["Nick"]}}`, "", 6017},
		{"filter not a list", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_test_for_penn"}],"ResponseFilter":{"OfficialAccountBaseInfoFilter":"Name"}}`, "", 6017},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "107867", "u")
			ot.Put(t, s, store.OfficialAccount{ID: "@TOA#_test_for_penn", Owner: "107867", Name: "penn", Introduction: "intro",
				FaceURL: "http://face", Organization: "org", CustomString: "cs", MaxSubscribers: 5, CreatedAt: time.Now()})
			ot.Call(t, s, "add_subscriber", `{"Official_Account":"@TOA#_test_for_penn","SubscriberList":[{"Subscriber_Account":"u"}]}`)
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					got := ot.Call(t, s, "get_official_account_info", tc.body)
					switch {
					case tc.code != 0:
						ot.RequireFail(t, got, tc.code)
					case tc.want != "":
						require.JSONEq(t, tc.want, ot.Blank(t, got))
					default:
						require.Equal(t, 50, strings.Count(got, `"ResultCode":130004`))
					}
				})
			}
		})
	}
}
