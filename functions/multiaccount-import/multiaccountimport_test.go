package multiaccountimport_test

import (
	"fmt"
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

func ok(failed string) string {
	return `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","FailAccounts":[` + failed + `]}`
}

// check is the account_check answer for ids, each Imported (true) or NotImported.
func check(ids ...any) string {
	var items []string
	for i := 0; i < len(ids); i += 2 {
		status := "NotImported"
		if ids[i+1].(bool) {
			status = "Imported"
		}
		items = append(items, fmt.Sprintf(`{"UserID":%q,"ResultCode":0,"ResultInfo":"","AccountStatus":%q}`, ids[i], status))
	}
	return `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[` + strings.Join(items, ",") + `]}`
}

// TestMultiaccountImport covers multiaccount_import's rows and decisions of docs/wire.md sections 3
// and 7: Accounts or AccountList (never both), at most 100, invalid entries listed in
// FailAccounts while the rest are imported.
func TestMultiaccountImport(t *testing.T) {
	ids := func(n int, prefix string) string {
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, fmt.Sprintf(`"%s%d"`, prefix, i))
		}
		return strings.Join(out, ",")
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := servertest.Scenario(t, b.URL(t), time.Unix(1702018343, 0))
			steps := []servertest.Step{
				{Name: "the documented Accounts request", Body: `{"Accounts":["u1","u2"]}`, Want: ok(``)},
				{Name: "the documented AccountList request", Body: `{"AccountList":[{"UserID":"u1","Nick":"..","FaceUrl":".."}]}`, Want: ok(``)},
				{Name: "imported", Path: "im_open_login_svc/account_check", Body: `{"CheckItem":[{"UserID":"u1"},{"UserID":"u2"}]}`, Want: check("u1", true, "u2", true)},
				{Name: "invalid UserIDs fail, the rest are imported, repeats once", Body: `{"Accounts":["u3","","` + long + `","u4","u3",""]}`, Want: ok(`"","` + long + `"`)},
				{Name: "the rest were imported", Path: "im_open_login_svc/account_check", Body: `{"CheckItem":[{"UserID":"u3"},{"UserID":"u4"}]}`, Want: check("u3", true, "u4", true)},
				{Name: "an AccountList entry with a profile value over 500 bytes fails alone", Body: `{"AccountList":[{"UserID":"u5","Nick":"` + strings.Repeat("n", 501) + `"},{"UserID":"u6","FaceUrl":"x"},{"UserID":""}]}`, Want: ok(`"u5",""`)},
				{Name: "u5 was not imported, u6 was", Path: "im_open_login_svc/account_check", Body: `{"CheckItem":[{"UserID":"u5"},{"UserID":"u6"}]}`, Want: check("u5", false, "u6", true)},
				{Name: "re-importing by Accounts keeps profiles", Body: `{"Accounts":["u1"]}`, Want: ok(``)},
				{Name: "viewer follows u1", Path: "follow/follow_add", Body: `{"From_Account":"u2","FollowItem":[{"To_Account":"u1"}]}`,
					Want:     `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"u1","ResultCode":0,"ResultInfo":""}]}`,
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"u2","FollowList":[{"To_Account":"u1"}],"EventTime":1702018343000}`}},
				{Name: "u1's profile is the one of AccountList", Path: "follow/follow_get", Body: `{"From_Account":"u2","FollowType":2}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowItem":[{"To_Account":"u1","FollowTime":1702018343,"ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":".."},{"Tag":"Tag_Profile_IM_Image","Value":".."}],"profile_sequence":1}],"NextCursor":""}`},
				{Name: "AccountList changes only the fields present", Body: `{"AccountList":[{"UserID":"u1","FaceUrl":"http://x"}]}`, Want: ok(``)},
				{Name: "changed", Path: "follow/follow_get", Body: `{"From_Account":"u2","FollowType":2}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowItem":[{"To_Account":"u1","FollowTime":1702018343,"ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":".."},{"Tag":"Tag_Profile_IM_Image","Value":"http://x"}],"profile_sequence":2}],"NextCursor":""}`},
				{Name: "100 accounts", Body: `{"Accounts":[` + ids(100, "m") + `]}`, Want: ok(``)},
				{Name: "101 accounts", Body: `{"Accounts":[` + ids(101, "x") + `]}`, Want: fail("70402", "Accounts lists 101 items; at most 100 are allowed")},
				{Name: "101 entries", Body: `{"AccountList":[` + strings.TrimSuffix(strings.Repeat(`{"UserID":"x"},`, 101), ",") + `]}`, Want: fail("70402", "AccountList lists 101 items; at most 100 are allowed")},
				{Name: "both lists", Body: `{"Accounts":["x"],"AccountList":[{"UserID":"y"}]}`, Want: fail("70402", "give Accounts or AccountList, not both")},
				{Name: "both lists, one empty", Body: `{"Accounts":[],"AccountList":[{"UserID":"y"}]}`, Want: fail("70402", "give Accounts or AccountList, not both")},
				{Name: "neither", Body: `{}`, Want: fail("70402", "Accounts or AccountList is required")},
				{Name: "Accounts empty", Body: `{"Accounts":[]}`, Want: fail("70402", "Accounts is required and must list 1 to 100 items")},
				{Name: "AccountList empty", Body: `{"AccountList":[]}`, Want: fail("70402", "AccountList is required and must list 1 to 100 items")},
				{Name: "an entry without UserID", Body: `{"AccountList":[{"UserID":"x"},{"Nick":"y"}]}`, Want: fail("70402", "AccountList[1].UserID is required")},
				{Name: "Accounts of numbers", Body: `{"Accounts":["x",1]}`, Want: fail("60015", "every item of Accounts must be a string")},
				{Name: "a UserID that is a number", Body: `{"AccountList":[{"UserID":1}]}`, Want: fail("60015", "UserID must be a string")},
				{Name: "Accounts a string", Body: `{"Accounts":"x"}`, Want: fail("70402", "Accounts has the wrong type: want an array")},
				{Name: "AccountList of strings", Body: `{"AccountList":["x"]}`, Want: fail("70402", "AccountList/0 has the wrong type: want an object")},
				{Name: "a Nick that is a number", Body: `{"AccountList":[{"UserID":"x","Nick":1}]}`, Want: fail("70402", "AccountList/0/Nick has the wrong type: want a string")},
				{Name: "refused calls imported nothing", Path: "im_open_login_svc/account_check", Body: `{"CheckItem":[{"UserID":"x"},{"UserID":"y"},{"UserID":"x0"},{"UserID":"m99"}]}`,
					Want: check("x", false, "y", false, "x0", false, "m99", true)},
			}
			for i := range steps {
				if steps[i].Path == "" {
					steps[i].Path = "im_open_login_svc/multiaccount_import"
				}
			}
			s.Run(t, clock, steps)
		})
	}
}
