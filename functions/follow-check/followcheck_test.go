package followcheck_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

const long = "abcdefghijklmnopqrstuvwxyz0123456" // 33 bytes: not a UserID

// TestFollowCheck covers follow_check's rows and decisions of docs/wire.md sections 2 and 7:
// FollowType 0 none, 1 To follows From only, 2 From follows To only, 3 mutual.
func TestFollowCheck(t *testing.T) {
	fail := func(code, info string) string {
		return `{"ActionStatus":"FAIL","ErrorCode":` + code + `,"ErrorInfo":"` + info + `","ErrorDisplay":""}`
	}
	list := func(n int, to string) string {
		return `[` + strings.TrimSuffix(strings.Repeat(`"`+to+`",`, n), ",") + `]`
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := servertest.Scenario(t, b.URL(t), time.Unix(1702018343, 0))
			s.Import(t, "a", "b", "c", "d", "e")
			s.Call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"c"},{"To_Account":"d"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"b","FollowItem":[{"To_Account":"a"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"d","FollowItem":[{"To_Account":"a"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"e","FollowItem":[{"To_Account":"c"}]}`)
			s.Outbox.Take()
			steps := []servertest.Step{
				{
					Name: "the documented request",
					Body: `{"From_Account":"a","To_Account":["b"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"b","ResultCode":0,"ResultInfo":"","FollowType":1}]}`,
				},
				{
					Name: "every relation and every kind of target",
					Body: `{"From_Account":"a","To_Account":["b","c","d","e","a","zz","","` + long + `","d"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[` +
						`{"To_Account":"b","ResultCode":0,"ResultInfo":"","FollowType":1},` +
						`{"To_Account":"c","ResultCode":0,"ResultInfo":"","FollowType":2},` +
						`{"To_Account":"d","ResultCode":0,"ResultInfo":"","FollowType":3},` +
						`{"To_Account":"e","ResultCode":0,"ResultInfo":"","FollowType":0},` +
						`{"To_Account":"a","ResultCode":0,"ResultInfo":"","FollowType":0},` +
						`{"To_Account":"zz","ResultCode":30003,"ResultInfo":"To_Account is not imported","FollowType":0},` +
						`{"To_Account":"","ResultCode":30001,"ResultInfo":"To_Account must be a UserID of 1 to 32 bytes","FollowType":0},` +
						`{"To_Account":"` + long + `","ResultCode":30001,"ResultInfo":"To_Account must be a UserID of 1 to 32 bytes","FollowType":0}]}`,
				},
				{
					Name: "seen from the other side",
					Body: `{"From_Account":"c","To_Account":["a","e","b"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[` +
						`{"To_Account":"a","ResultCode":0,"ResultInfo":"","FollowType":1},` +
						`{"To_Account":"e","ResultCode":0,"ResultInfo":"","FollowType":1},` +
						`{"To_Account":"b","ResultCode":0,"ResultInfo":"","FollowType":0}]}`,
				},
				{
					Name: "100 targets (counted before de-duplication) are allowed",
					Body: `{"From_Account":"a","To_Account":` + list(100, "c") + `}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"c","ResultCode":0,"ResultInfo":"","FollowType":2}]}`,
				},
				{Name: "101 targets", Body: `{"From_Account":"a","To_Account":` + list(101, "c") + `}`, Want: fail("30001", "To_Account lists 101 items; at most 100 are allowed")},
				{Name: "From_Account not imported", Body: `{"From_Account":"zz","To_Account":["a"]}`, Want: fail("30003", "From_Account zz is not imported")},
				{Name: "From_Account not imported, checking itself", Body: `{"From_Account":"zz","To_Account":["zz"]}`, Want: fail("30003", "From_Account zz is not imported")},
				{Name: "From_Account missing", Body: `{"To_Account":["a"]}`, Want: fail("30001", "From_Account is required")},
				{Name: "From_Account empty", Body: `{"From_Account":"","To_Account":["a"]}`, Want: fail("30001", "From_Account must be a UserID of 1 to 32 bytes")},
				{Name: "From_Account a number", Body: `{"From_Account":1,"To_Account":["a"]}`, Want: fail("60015", "From_Account must be a string")},
				{Name: "To_Account missing", Body: `{"From_Account":"a"}`, Want: fail("30001", "To_Account is required and must list 1 to 100 items")},
				{Name: "To_Account empty", Body: `{"From_Account":"a","To_Account":[]}`, Want: fail("30001", "To_Account is required and must list 1 to 100 items")},
				{Name: "shape before existence", Body: `{"From_Account":"zz","To_Account":[]}`, Want: fail("30001", "To_Account is required and must list 1 to 100 items")},
				{Name: "To_Account a string", Body: `{"From_Account":"a","To_Account":"b"}`, Want: fail("30001", "To_Account has the wrong type: want an array")},
				{Name: "To_Account of numbers", Body: `{"From_Account":"a","To_Account":["b",2]}`, Want: fail("60015", "every item of To_Account must be a string")},
			}
			for i := range steps {
				steps[i].Path = "follow/follow_check"
			}
			s.Run(t, clock, steps)
		})
	}
}
