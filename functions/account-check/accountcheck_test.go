package accountcheck_test

import (
	"strings"
	"testing"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

const long = "abcdefghijklmnopqrstuvwxyz0123456" // 33 bytes: not a UserID

func fail(code, info string) string {
	return `{"ActionStatus":"FAIL","ErrorCode":` + code + `,"ErrorInfo":"` + info + `"}`
}

// TestAccountCheck covers account_check's rows of docs/wire.md section 3.
func TestAccountCheck(t *testing.T) {
	items := func(n int, id string) string {
		return strings.TrimSuffix(strings.Repeat(`{"UserID":"`+id+`"},`, n), ",")
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "u1", "u3")
			steps := []servertest.Step{
				{Name: "the documented request", Body: `{"CheckItem":[{"UserID":"u1"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"UserID":"u1","ResultCode":0,"ResultInfo":"","AccountStatus":"Imported"}]}`},
				{Name: "every kind of UserID, a repeated one reported once", Body: `{"CheckItem":[{"UserID":"u1"},{"UserID":"u2"},{"UserID":""},{"UserID":"` + long + `"},{"UserID":"u3"},{"UserID":"u2"},{"UserID":"U1"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[` +
						`{"UserID":"u1","ResultCode":0,"ResultInfo":"","AccountStatus":"Imported"},` +
						`{"UserID":"u2","ResultCode":0,"ResultInfo":"","AccountStatus":"NotImported"},` +
						`{"UserID":"","ResultCode":70402,"ResultInfo":"UserID must be 1 to 32 bytes","AccountStatus":"NotImported"},` +
						`{"UserID":"` + long + `","ResultCode":70402,"ResultInfo":"UserID must be 1 to 32 bytes","AccountStatus":"NotImported"},` +
						`{"UserID":"u3","ResultCode":0,"ResultInfo":"","AccountStatus":"Imported"},` +
						`{"UserID":"U1","ResultCode":0,"ResultInfo":"","AccountStatus":"NotImported"}]}`},
				{Name: "100 items", Body: `{"CheckItem":[` + items(100, "u3") + `]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"UserID":"u3","ResultCode":0,"ResultInfo":"","AccountStatus":"Imported"}]}`},
				{Name: "101 items", Body: `{"CheckItem":[` + items(101, "u3") + `]}`, Want: fail("70402", "CheckItem lists 101 items; at most 100 are allowed")},
				{Name: "CheckItem missing", Body: `{}`, Want: fail("70402", "CheckItem is required and must list 1 to 100 items")},
				{Name: "CheckItem empty", Body: `{"CheckItem":[]}`, Want: fail("70402", "CheckItem is required and must list 1 to 100 items")},
				{Name: "an item without UserID", Body: `{"CheckItem":[{"UserID":"u1"},{}]}`, Want: fail("70402", "CheckItem[1].UserID is required")},
				{Name: "a UserID that is a number", Body: `{"CheckItem":[{"UserID":5}]}`, Want: fail("60015", "UserID must be a string")},
				{Name: "CheckItem of strings", Body: `{"CheckItem":["u1"]}`, Want: fail("70402", "CheckItem/0 has the wrong type: want an object")},
			}
			for i := range steps {
				steps[i].Path = "im_open_login_svc/account_check"
			}
			s.Run(t, nil, steps)
		})
	}
}
