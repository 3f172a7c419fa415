package accountdelete_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

const long = "abcdefghijklmnopqrstuvwxyz0123456" // 33 bytes: not a UserID

func fail(code, info string) string {
	return `{"ActionStatus":"FAIL","ErrorCode":` + code + `,"ErrorInfo":"` + info + `"}`
}

// TestAccountDelete covers account_delete's rows and decisions of docs/wire.md sections 3 and 7: an
// unknown account is item 70107; a deleted account loses its follows in both directions, the
// counts of everyone else stay exact, and one CallbackAfterFollowDelete is written for its own
// follows and one per follower; it may be imported again and starts empty.
func TestAccountDelete(t *testing.T) {
	items := func(n int, id string) string {
		return strings.TrimSuffix(strings.Repeat(`{"UserID":"`+id+`"},`, n), ",")
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := servertest.Scenario(t, b.URL(t), time.UnixMilli(1702018343678))
			s.Call(t, "im_open_login_svc/account_import", `{"UserID":"u1","Nick":"One","FaceUrl":"http://x/1"}`)
			s.Import(t, "a", "b", "c", "d")
			s.Call(t, "follow/follow_add", `{"From_Account":"u1","FollowItem":[{"To_Account":"a"},{"To_Account":"b"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"c","FollowItem":[{"To_Account":"u1"},{"To_Account":"a"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"u1"},{"To_Account":"b"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"b","FollowItem":[{"To_Account":"c"}]}`)
			s.Outbox.Take()
			steps := []servertest.Step{
				{Name: "counts before", Path: "follow/follow_get_info", Body: `{"From_Account":"a","To_Account":["u1","a","b","c"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[` +
						`{"To_Account":"u1","ResultCode":0,"ResultInfo":"","FollowerCount":2,"FollowingCount":2,"MutualFollowingCount":1},` +
						`{"To_Account":"a","ResultCode":0,"ResultInfo":"","FollowerCount":2,"FollowingCount":2,"MutualFollowingCount":1},` +
						`{"To_Account":"b","ResultCode":0,"ResultInfo":"","FollowerCount":2,"FollowingCount":1,"MutualFollowingCount":0},` +
						`{"To_Account":"c","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":2,"MutualFollowingCount":0}]}`},
				{Name: "the documented request", Body: `{"DeleteItem":[{"UserID":"u1"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"ResultCode":0,"ResultInfo":"","UserID":"u1"}]}`,
					Webhooks: []string{
						`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"u1","To_Account":["a","b"],"EventTime":1702018343679}`,
						`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"c","To_Account":["u1"],"EventTime":1702018343679}`,
						`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"a","To_Account":["u1"],"EventTime":1702018343679}`,
					}},
				{Name: "counts after: everyone else exact", Path: "follow/follow_get_info", Body: `{"From_Account":"a","To_Account":["u1","a","b","c"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[` +
						`{"To_Account":"u1","ResultCode":30003,"ResultInfo":"To_Account is not imported","FollowerCount":0,"FollowingCount":0,"MutualFollowingCount":0},` +
						`{"To_Account":"a","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":1,"MutualFollowingCount":0},` +
						`{"To_Account":"b","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":1,"MutualFollowingCount":0},` +
						`{"To_Account":"c","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":1,"MutualFollowingCount":0}]}`},
				{Name: "gone from the lists", Path: "follow/follow_get", Body: `{"From_Account":"c","FollowType":2}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowItem":[{"To_Account":"a","FollowTime":1702018343,"ProfileItem":[],"profile_sequence":0}],"NextCursor":""}`},
				{Name: "deleted", Path: "im_open_login_svc/account_check", Body: `{"CheckItem":[{"UserID":"u1"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"UserID":"u1","ResultCode":0,"ResultInfo":"","AccountStatus":"NotImported"}]}`},
				{Name: "deleting again: 70107", Body: `{"DeleteItem":[{"UserID":"u1"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"ResultCode":70107,"ResultInfo":"Err_TLS_PT_Open_Login_Account_Not_Exist","UserID":"u1"}]}`},
				{Name: "imported again", Path: "im_open_login_svc/account_import", Body: `{"UserID":"u1"}`, Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`},
				{Name: "it starts empty", Path: "follow/follow_get_info", Body: `{"From_Account":"u1","To_Account":["u1"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[{"To_Account":"u1","ResultCode":0,"ResultInfo":"","FollowerCount":0,"FollowingCount":0,"MutualFollowingCount":0}]}`},
				{Name: "its old profile is gone", Path: "follow/follow_add", Body: `{"From_Account":"d","FollowItem":[{"To_Account":"u1"}]}`,
					Want:     `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"u1","ResultCode":0,"ResultInfo":""}]}`,
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"d","FollowList":[{"To_Account":"u1"}],"EventTime":1702018343678}`}},
				{Name: "no profile", Path: "follow/follow_get", Body: `{"From_Account":"d","FollowType":2}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowItem":[{"To_Account":"u1","FollowTime":1702018343,"ProfileItem":[],"profile_sequence":0}],"NextCursor":""}`},
				{Name: "every kind of UserID; two accounts that follow each other", Body: `{"DeleteItem":[{"UserID":"b"},{"UserID":"nobody"},{"UserID":""},{"UserID":"` + long + `"},{"UserID":"c"},{"UserID":"b"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[` +
						`{"ResultCode":0,"ResultInfo":"","UserID":"b"},` +
						`{"ResultCode":70107,"ResultInfo":"Err_TLS_PT_Open_Login_Account_Not_Exist","UserID":"nobody"},` +
						`{"ResultCode":70402,"ResultInfo":"UserID must be 1 to 32 bytes","UserID":""},` +
						`{"ResultCode":70402,"ResultInfo":"UserID must be 1 to 32 bytes","UserID":"` + long + `"},` +
						`{"ResultCode":0,"ResultInfo":"","UserID":"c"}]}`,
					Webhooks: []string{
						`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"b","To_Account":["c"],"EventTime":1702018343679}`,
						`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"a","To_Account":["b"],"EventTime":1702018343680}`,
						`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"c","To_Account":["a"],"EventTime":1702018343680}`,
					}},
				{Name: "a is alone", Path: "follow/follow_get_info", Body: `{"From_Account":"a","To_Account":["a"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[{"To_Account":"a","ResultCode":0,"ResultInfo":"","FollowerCount":0,"FollowingCount":0,"MutualFollowingCount":0}]}`},
				{Name: "an account without follows: no webhook", Body: `{"DeleteItem":[{"UserID":"a"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"ResultCode":0,"ResultInfo":"","UserID":"a"}]}`},
				{Name: "100 items", Body: `{"DeleteItem":[` + items(100, "nobody") + `]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"ResultCode":70107,"ResultInfo":"Err_TLS_PT_Open_Login_Account_Not_Exist","UserID":"nobody"}]}`},
				{Name: "101 items", Body: `{"DeleteItem":[` + items(101, "d") + `]}`, Want: fail("70402", "DeleteItem lists 101 items; at most 100 are allowed")},
				{Name: "DeleteItem missing", Body: `{"UserID":"d"}`, Want: fail("70402", "DeleteItem is required and must list 1 to 100 items")},
				{Name: "DeleteItem empty", Body: `{"DeleteItem":[]}`, Want: fail("70402", "DeleteItem is required and must list 1 to 100 items")},
				{Name: "an item without UserID", Body: `{"DeleteItem":[{"UserID":"d"},{"userid":"d"}]}`, Want: fail("70402", "DeleteItem[1].UserID is required")},
				{Name: "a UserID that is a number", Body: `{"DeleteItem":[{"UserID":"d"},{"UserID":4}]}`, Want: fail("60015", "UserID must be a string")},
				{Name: "DeleteItem an object", Body: `{"DeleteItem":{"UserID":"d"}}`, Want: fail("70402", "DeleteItem has the wrong type: want an array")},
				{Name: "refused calls deleted nothing", Path: "im_open_login_svc/account_check", Body: `{"CheckItem":[{"UserID":"d"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"UserID":"d","ResultCode":0,"ResultInfo":"","AccountStatus":"Imported"}]}`},
			}
			for i := range steps {
				if steps[i].Path == "" {
					steps[i].Path = "im_open_login_svc/account_delete"
				}
			}
			s.Run(t, clock, steps)
		})
	}
}
