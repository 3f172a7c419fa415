package localserver_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// TestNULRefused: U+0000 in any string field is invalid on every store (docs/wire.md section 7),
// answered with the service's invalid-ID or parameter code, per item where the operation has
// items; never the internal codes PostgreSQL's refusal of U+0000 used to cause.
func TestNULRefused(t *testing.T) {
	const nul = `\u0000`
	cases := []struct {
		name, path, body, want string
	}{
		{"follow_add From_Account", "follow/follow_add", `{"From_Account":"a` + nul + `","FollowItem":[{"To_Account":"b"}]}`,
			`{"ActionStatus":"FAIL","ErrorCode":30001,"ErrorInfo":"From_Account must not contain U+0000","ErrorDisplay":""}`},
		{"follow_add target", "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"b` + nul + `"},{"To_Account":"b"}]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"b\u0000","ResultCode":30001,"ResultInfo":"To_Account must be a UserID of 1 to 32 bytes"},{"To_Account":"b","ResultCode":0,"ResultInfo":""}]}`},
		{"follow_delete target", "follow/follow_delete", `{"From_Account":"a","To_Account":["` + nul + `","b"]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"\u0000","ResultCode":30001,"ResultInfo":"To_Account must be a UserID of 1 to 32 bytes"},{"To_Account":"b","ResultCode":0,"ResultInfo":""}]}`},
		{"follow_check target", "follow/follow_check", `{"From_Account":"a","To_Account":["b` + nul + `"]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"b\u0000","ResultCode":30001,"ResultInfo":"To_Account must be a UserID of 1 to 32 bytes","FollowType":0}]}`},
		{"follow_get_info target", "follow/follow_get_info", `{"From_Account":"a","To_Account":["b` + nul + `"]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[{"To_Account":"b\u0000","ResultCode":30001,"ResultInfo":"To_Account must be a UserID of 1 to 32 bytes","FollowerCount":0,"FollowingCount":0,"MutualFollowingCount":0}]}`},
		{"follow_get From_Account", "follow/follow_get", `{"From_Account":"` + nul + `","FollowType":1}`,
			`{"ActionStatus":"FAIL","ErrorCode":30001,"ErrorInfo":"From_Account must not contain U+0000","ErrorDisplay":""}`},
		{"follow_get cursor", "follow/follow_get", `{"From_Account":"a","FollowType":1,"StartCursor":"` + nul + `"}`, `"ErrorCode":30001`},

		{"account_import UserID", "im_open_login_svc/account_import", `{"UserID":"u` + nul + `"}`,
			`{"ActionStatus":"FAIL","ErrorCode":70402,"ErrorInfo":"UserID must not contain U+0000"}`},
		{"account_import Nick", "im_open_login_svc/account_import", `{"UserID":"u","Nick":"n` + nul + `"}`,
			`{"ActionStatus":"FAIL","ErrorCode":70402,"ErrorInfo":"Nick and FaceUrl must not contain U+0000"}`},
		{"multiaccount_import Accounts", "im_open_login_svc/multiaccount_import", `{"Accounts":["m` + nul + `","m1"]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","FailAccounts":["m\u0000"]}`},
		{"multiaccount_import AccountList", "im_open_login_svc/multiaccount_import", `{"AccountList":[{"UserID":"m2","FaceUrl":"` + nul + `"},{"UserID":"m3` + nul + `"},{"UserID":"m4"}]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","FailAccounts":["m2","m3\u0000"]}`},
		{"account_check item", "im_open_login_svc/account_check", `{"CheckItem":[{"UserID":"a` + nul + `"},{"UserID":"a"}]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"UserID":"a\u0000","ResultCode":70402,"ResultInfo":"UserID must be 1 to 32 bytes","AccountStatus":"NotImported"},{"UserID":"a","ResultCode":0,"ResultInfo":"","AccountStatus":"Imported"}]}`},
		{"account_delete item", "im_open_login_svc/account_delete", `{"DeleteItem":[{"UserID":"z` + nul + `"}]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"ResultCode":70402,"ResultInfo":"UserID must be 1 to 32 bytes","UserID":"z\u0000"}]}`},

		{"create_official_account Owner_Account", "official_account_open_http_svc/create_official_account", `{"Owner_Account":"a` + nul + `","Name":"n"}`,
			`{"ActionStatus":"FAIL","ErrorCode":6017,"ErrorInfo":"Owner_Account must not contain U+0000"}`},
		{"create_official_account ID", "official_account_open_http_svc/create_official_account", `{"Owner_Account":"a","Name":"n","OfficialAccountUserID":"@TOA#_` + nul + `"}`, `"ErrorCode":130007`},
		{"create_official_account Name", "official_account_open_http_svc/create_official_account", `{"Owner_Account":"a","Name":"n` + nul + `"}`,
			`{"ActionStatus":"FAIL","ErrorCode":6017,"ErrorInfo":"Name must not contain U+0000"}`},
		{"create_official_account Organization", "official_account_open_http_svc/create_official_account", `{"Owner_Account":"a","Name":"n","Organization":"` + nul + `"}`,
			`{"ActionStatus":"FAIL","ErrorCode":6017,"ErrorInfo":"Organization must not contain U+0000"}`},
		{"destroy_official_account", "official_account_open_http_svc/destroy_official_account", `{"Official_Account":"@TOA#_oa` + nul + `"}`, `"ErrorCode":130007`},
		{"modify_official_account_base_info CustomString", "official_account_open_http_svc/modify_official_account_base_info", `{"Official_Account":"@TOA#_oa","CustomString":"` + nul + `"}`,
			`{"ActionStatus":"FAIL","ErrorCode":6017,"ErrorInfo":"CustomString must not contain U+0000"}`},
		{"get_official_account_info item", "official_account_open_http_svc/get_official_account_info", `{"OfficialAccountIdList":[{"Official_Account":"@TOA#_oa` + nul + `"},{"Official_Account":"@TOA#_oa"}]}`, `"ResultCode":130007`},
		{"add_subscriber item", "official_account_open_http_svc/add_subscriber", `{"Official_Account":"@TOA#_oa","SubscriberList":[{"Subscriber_Account":"a` + nul + `"},{"Subscriber_Account":"a"}]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberList":[{"Subscriber_Account":"a\u0000","Result":0},{"Subscriber_Account":"a","Result":1}]}`},
		{"delete_subscriber item", "official_account_open_http_svc/delete_subscriber", `{"Official_Account":"@TOA#_oa","SubscriberToDel_Account":["a` + nul + `"]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberList":[{"Subscriber_Account":"a\u0000","Result":0}]}`},
		{"modify_subscriber_info Subscriber_Account", "official_account_open_http_svc/modify_subscriber_info", `{"Official_Account":"@TOA#_oa","Subscriber_Account":"` + nul + `","CustomString":""}`,
			`{"ActionStatus":"FAIL","ErrorCode":6017,"ErrorInfo":"Subscriber_Account must not contain U+0000"}`},
		{"modify_subscriber_info CustomString", "official_account_open_http_svc/modify_subscriber_info", `{"Official_Account":"@TOA#_oa","Subscriber_Account":"a","CustomString":"` + nul + `"}`,
			`{"ActionStatus":"FAIL","ErrorCode":6017,"ErrorInfo":"CustomString must not contain U+0000"}`},
		{"get_subscriber_info Official_Account", "official_account_open_http_svc/get_subscriber_info", `{"Official_Account":"@TOA#_` + nul + `"}`, `"ErrorCode":130007`},
		{"get_subscriber_info Next", "official_account_open_http_svc/get_subscriber_info", `{"Official_Account":"@TOA#_oa","Next":"` + nul + `"}`, `"ErrorCode":6017`},
		{"get_subscribed_official_account_list", "official_account_open_http_svc/get_subscribed_official_account_list", `{"Subscriber_Account":"a` + nul + `"}`,
			`{"ActionStatus":"FAIL","ErrorCode":6017,"ErrorInfo":"Subscriber_Account must not contain U+0000"}`},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "a", "b")
			require.Contains(t, s.Call(t, "official_account_open_http_svc/create_official_account",
				`{"Owner_Account":"a","Name":"n","OfficialAccountUserID":"@TOA#_oa"}`), `"ActionStatus":"OK"`)
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					got := s.Call(t, tc.path, tc.body)
					for _, internal := range []string{`"ErrorCode":30006`, `"ErrorCode":70500`, `"ErrorCode":10004`, `"ErrorCode":20005`} {
						require.NotContains(t, got, internal)
					}
					if tc.want[0] == '{' {
						require.JSONEq(t, tc.want, got)
					} else {
						require.Contains(t, got, tc.want)
					}
				})
			}
		})
	}
}
