package followgetinfo_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

const long = "abcdefghijklmnopqrstuvwxyz0123456" // 33 bytes: not a UserID

// TestFollowGetInfo covers follow_get_info's rows and decisions of docs/wire.md sections 2 and 7.
func TestFollowGetInfo(t *testing.T) {
	fail := func(code, info string) string {
		return `{"ActionStatus":"FAIL","ErrorCode":` + code + `,"ErrorInfo":"` + info + `","ErrorDisplay":""}`
	}
	list := func(n int, to string) string {
		return `[` + strings.TrimSuffix(strings.Repeat(`"`+to+`",`, n), ",") + `]`
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := servertest.Scenario(t, b.URL(t), time.Unix(1702018343, 0))
			s.Import(t, "a", "b", "c", "d")
			s.Call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"b"},{"To_Account":"c"},{"To_Account":"d"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"b","FollowItem":[{"To_Account":"a"},{"To_Account":"c"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"c","FollowItem":[{"To_Account":"a"}]}`)
			s.Outbox.Take()
			steps := []servertest.Step{
				{
					Name: "the documented request: one's own counts and another's",
					Body: `{"From_Account":"a","To_Account":["a","b"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[` +
						`{"To_Account":"a","ResultCode":0,"ResultInfo":"","FollowerCount":2,"FollowingCount":3,"MutualFollowingCount":2},` +
						`{"To_Account":"b","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":2,"MutualFollowingCount":1}]}`,
				},
				{
					Name: "every kind of target, a repeated one reported once",
					Body: `{"From_Account":"d","To_Account":["c","d","zz","","` + long + `","c"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[` +
						`{"To_Account":"c","ResultCode":0,"ResultInfo":"","FollowerCount":2,"FollowingCount":1,"MutualFollowingCount":1},` +
						`{"To_Account":"d","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":0,"MutualFollowingCount":0},` +
						`{"To_Account":"zz","ResultCode":30003,"ResultInfo":"To_Account is not imported","FollowerCount":0,"FollowingCount":0,"MutualFollowingCount":0},` +
						`{"To_Account":"","ResultCode":30001,"ResultInfo":"To_Account must be a UserID of 1 to 32 bytes","FollowerCount":0,"FollowingCount":0,"MutualFollowingCount":0},` +
						`{"To_Account":"` + long + `","ResultCode":30001,"ResultInfo":"To_Account must be a UserID of 1 to 32 bytes","FollowerCount":0,"FollowingCount":0,"MutualFollowingCount":0}]}`,
				},
				{
					Name: "20 targets (counted before de-duplication)",
					Body: `{"From_Account":"a","To_Account":` + list(20, "d") + `}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[{"To_Account":"d","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":0,"MutualFollowingCount":0}]}`,
				},
				{Name: "21 targets", Body: `{"From_Account":"a","To_Account":` + list(21, "d") + `}`, Want: fail("30001", "To_Account lists 21 items; at most 20 are allowed")},
				{Name: "From_Account not imported", Body: `{"From_Account":"zz","To_Account":["a"]}`, Want: fail("30003", "From_Account zz is not imported")},
				{Name: "From_Account missing", Body: `{"To_Account":["a"]}`, Want: fail("30001", "From_Account is required")},
				{Name: "From_Account too long", Body: `{"From_Account":"` + long + `","To_Account":["a"]}`, Want: fail("30001", "From_Account must be a UserID of 1 to 32 bytes")},
				{Name: "From_Account an object", Body: `{"From_Account":{},"To_Account":["a"]}`, Want: fail("60015", "From_Account must be a string")},
				{Name: "To_Account missing", Body: `{"From_Account":"a"}`, Want: fail("30001", "To_Account is required and must list 1 to 20 items")},
				{Name: "To_Account empty", Body: `{"From_Account":"a","To_Account":[]}`, Want: fail("30001", "To_Account is required and must list 1 to 20 items")},
				{Name: "shape before existence", Body: `{"From_Account":"zz","To_Account":` + list(21, "a") + `}`, Want: fail("30001", "To_Account lists 21 items; at most 20 are allowed")},
				{Name: "To_Account a number", Body: `{"From_Account":"a","To_Account":1}`, Want: fail("60015", "To_Account must be a string")},
				{Name: "To_Account of booleans", Body: `{"From_Account":"a","To_Account":[true]}`, Want: fail("60015", "every item of To_Account must be a string")},
			}
			for i := range steps {
				steps[i].Path = "follow/follow_get_info"
			}
			s.Run(t, clock, steps)
		})
	}
}
