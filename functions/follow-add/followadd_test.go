package followadd_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// start is the clock of the scenarios: EventTime 1702018343678, the sample of Tencent's pages.
var start = time.UnixMilli(1702018343678)

const long = "abcdefghijklmnopqrstuvwxyz0123456" // 33 bytes: not a UserID

// TestFollowAdd covers follow_add's rows and decisions of docs/wire.md sections 2 and 7, with the
// after-webhook each call writes (or does not).
func TestFollowAdd(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := servertest.Scenario(t, b.URL(t), start)
			s.Import(t, "a", "b", "c", "d")
			s.Run(t, clock, []servertest.Step{
				{
					Name: "the documented request",
					Path: "follow/follow_add",
					Body: `{"From_Account":"a","FollowItem":[{"To_Account":"b"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"b","ResultCode":0,"ResultInfo":""}]}`,
					Webhooks: []string{
						`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"a","FollowList":[{"To_Account":"b"}],"EventTime":1702018343678}`,
					},
				},
				{
					Name: "already followed: 0 and no webhook",
					Path: "follow/follow_add",
					Body: `{"From_Account":"a","FollowItem":[{"To_Account":"b"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"b","ResultCode":0,"ResultInfo":""}]}`,
				},
				{
					Name:    "every kind of target in one call, a repeated one reported once",
					Path:    "follow/follow_add",
					Advance: 2 * time.Second,
					Body:    `{"From_Account":"a","FollowItem":[{"To_Account":"b"},{"To_Account":"c"},{"To_Account":"a"},{"To_Account":"zz"},{"To_Account":""},{"To_Account":"` + long + `"},{"To_Account":"c"},{"To_Account":"d"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[` +
						`{"To_Account":"b","ResultCode":0,"ResultInfo":""},` +
						`{"To_Account":"c","ResultCode":0,"ResultInfo":""},` +
						`{"To_Account":"a","ResultCode":30001,"ResultInfo":"From_Account and To_Account must differ: nobody follows themself"},` +
						`{"To_Account":"zz","ResultCode":30003,"ResultInfo":"To_Account is not imported"},` +
						`{"To_Account":"","ResultCode":30001,"ResultInfo":"To_Account must be a UserID of 1 to 32 bytes"},` +
						`{"To_Account":"` + long + `","ResultCode":30001,"ResultInfo":"To_Account must be a UserID of 1 to 32 bytes"},` +
						`{"To_Account":"d","ResultCode":0,"ResultInfo":""}]}`,
					Webhooks: []string{
						`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"a","FollowList":[{"To_Account":"c"},{"To_Account":"d"}],"EventTime":1702018345678}`,
					},
				},
				{
					Name: "every item fails: still OK, no webhook",
					Path: "follow/follow_add",
					Body: `{"From_Account":"b","FollowItem":[{"To_Account":"b"},{"To_Account":"nobody"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[` +
						`{"To_Account":"b","ResultCode":30001,"ResultInfo":"From_Account and To_Account must differ: nobody follows themself"},` +
						`{"To_Account":"nobody","ResultCode":30003,"ResultInfo":"To_Account is not imported"}]}`,
				},
				{
					Name: "follow back",
					Path: "follow/follow_add",
					Body: `{"From_Account":"b","FollowItem":[{"To_Account":"a"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"a","ResultCode":0,"ResultInfo":""}]}`,
					Webhooks: []string{
						`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"b","FollowList":[{"To_Account":"a"}],"EventTime":1702018345678}`,
					},
				},
				{
					Name: "counts after the calls",
					Path: "follow/follow_get_info",
					Body: `{"From_Account":"a","To_Account":["a","b","c","d"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[` +
						`{"To_Account":"a","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":3,"MutualFollowingCount":1},` +
						`{"To_Account":"b","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":1,"MutualFollowingCount":1},` +
						`{"To_Account":"c","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":0,"MutualFollowingCount":0},` +
						`{"To_Account":"d","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":0,"MutualFollowingCount":0}]}`,
				},
			})
		})
	}
}

// TestFollowAddRequestErrors: shape errors are top-level 30001 (60015 for an account that is not
// a string), checked before From_Account's existence; nothing changes and no webhook is written.
func TestFollowAddRequestErrors(t *testing.T) {
	t.Parallel()
	items := func(n int, to string) string {
		return `[` + strings.TrimSuffix(strings.Repeat(`{"To_Account":"`+to+`"},`, n), ",") + `]`
	}
	fail := func(code, info string) string {
		return `{"ActionStatus":"FAIL","ErrorCode":` + code + `,"ErrorInfo":"` + info + `","ErrorDisplay":""}`
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := servertest.Scenario(t, b.URL(t), start)
			s.Import(t, "a", "b")
			steps := []servertest.Step{
				{Name: "From_Account not imported", Body: `{"From_Account":"zz","FollowItem":[{"To_Account":"b"}]}`, Want: fail("30003", "From_Account zz is not imported")},
				{Name: "From_Account not imported, following itself", Body: `{"From_Account":"zz","FollowItem":[{"To_Account":"zz"}]}`, Want: fail("30003", "From_Account zz is not imported")},
				{Name: "From_Account missing", Body: `{"FollowItem":[{"To_Account":"b"}]}`, Want: fail("30001", "From_Account is required")},
				{Name: "From_Account empty", Body: `{"From_Account":"","FollowItem":[{"To_Account":"b"}]}`, Want: fail("30001", "From_Account must be a UserID of 1 to 32 bytes")},
				{Name: "From_Account too long", Body: `{"From_Account":"` + long + `","FollowItem":[{"To_Account":"b"}]}`, Want: fail("30001", "From_Account must be a UserID of 1 to 32 bytes")},
				{Name: "From_Account a number", Body: `{"From_Account":1,"FollowItem":[{"To_Account":"b"}]}`, Want: fail("60015", "From_Account must be a string")},
				{Name: "From_Account a list", Body: `{"From_Account":["a"],"FollowItem":[{"To_Account":"b"}]}`, Want: fail("60015", "From_Account must be a string")},
				{Name: "FollowItem missing", Body: `{"From_Account":"a"}`, Want: fail("30001", "FollowItem is required and must list 1 to 20 items")},
				{Name: "FollowItem empty", Body: `{"From_Account":"a","FollowItem":[]}`, Want: fail("30001", "FollowItem is required and must list 1 to 20 items")},
				{Name: "FollowItem null", Body: `{"From_Account":"a","FollowItem":null}`, Want: fail("30001", "FollowItem is required and must list 1 to 20 items")},
				{Name: "shape before existence", Body: `{"From_Account":"zz","FollowItem":[]}`, Want: fail("30001", "FollowItem is required and must list 1 to 20 items")},
				{Name: "21 targets", Body: `{"From_Account":"a","FollowItem":` + items(21, "b") + `}`, Want: fail("30001", "FollowItem lists 21 items; at most 20 are allowed")},
				{Name: "21 targets of a not-imported account", Body: `{"From_Account":"zz","FollowItem":` + items(21, "b") + `}`, Want: fail("30001", "FollowItem lists 21 items; at most 20 are allowed")},
				{Name: "To_Account missing", Body: `{"From_Account":"a","FollowItem":[{"To_Account":"b"},{"to_account":"b"}]}`, Want: fail("30001", "FollowItem[1].To_Account is required")},
				{Name: "item null", Body: `{"From_Account":"a","FollowItem":[null]}`, Want: fail("30001", "FollowItem[0].To_Account is required")},
				{Name: "To_Account a number", Body: `{"From_Account":"a","FollowItem":[{"To_Account":2}]}`, Want: fail("60015", "To_Account must be a string")},
				{Name: "To_Account a list", Body: `{"From_Account":"a","FollowItem":[{"To_Account":["b"]}]}`, Want: fail("60015", "To_Account must be a string")},
				{Name: "FollowItem a string", Body: `{"From_Account":"a","FollowItem":"b"}`, Want: fail("30001", "FollowItem has the wrong type: want an array")},
				{Name: "FollowItem of strings", Body: `{"From_Account":"a","FollowItem":["b"]}`, Want: fail("30001", "FollowItem/0 has the wrong type: want an object")},
				{Name: "plain To_Account list is not follow_add's shape", Body: `{"From_Account":"a","To_Account":["b"]}`, Want: fail("30001", "FollowItem is required and must list 1 to 20 items")},
				{Name: "nothing changed", Path: "follow/follow_get_info", Body: `{"From_Account":"a","To_Account":["a","b"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[` +
						`{"To_Account":"a","ResultCode":0,"ResultInfo":"","FollowerCount":0,"FollowingCount":0,"MutualFollowingCount":0},` +
						`{"To_Account":"b","ResultCode":0,"ResultInfo":"","FollowerCount":0,"FollowingCount":0,"MutualFollowingCount":0}]}`},
				{Name: "20 targets, the same one 20 times: processed and reported once", Body: `{"From_Account":"a","FollowItem":` + items(20, "b") + `}`,
					Want:     `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"b","ResultCode":0,"ResultInfo":""}]}`,
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"a","FollowList":[{"To_Account":"b"}],"EventTime":1702018343678}`}},
			}
			for i := range steps {
				if steps[i].Path == "" {
					steps[i].Path = "follow/follow_add"
				}
			}
			s.Run(t, clock, steps)
		})
	}
}

// TestFollowingLimit: CHAT_MAX_FOLLOWING caps how many accounts one account follows (32100 per
// item past it); following someone already followed still succeeds; followers are unlimited.
func TestFollowingLimit(t *testing.T) {
	t.Parallel()
	limit := func(c *config.Config) { c.MaxFollowing = 2 }
	const over = `"ResultCode":32100,"ResultInfo":"From_Account already follows the maximum of 2 accounts"`
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := servertest.Scenario(t, b.URL(t), start, limit)
			s.Import(t, "a", "b", "c", "d", "e")
			s.Run(t, clock, []servertest.Step{
				{
					Name: "the limit reached within one call",
					Path: "follow/follow_add",
					Body: `{"From_Account":"a","FollowItem":[{"To_Account":"b"},{"To_Account":"zz"},{"To_Account":"c"},{"To_Account":"d"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[` +
						`{"To_Account":"b","ResultCode":0,"ResultInfo":""},` +
						`{"To_Account":"zz","ResultCode":30003,"ResultInfo":"To_Account is not imported"},` +
						`{"To_Account":"c","ResultCode":0,"ResultInfo":""},` +
						`{"To_Account":"d",` + over + `}]}`,
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"a","FollowList":[{"To_Account":"b"},{"To_Account":"c"}],"EventTime":1702018343678}`},
				},
				{
					Name: "at the limit: already followed still 0, new ones 32100, no webhook",
					Path: "follow/follow_add",
					Body: `{"From_Account":"a","FollowItem":[{"To_Account":"e"},{"To_Account":"c"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[` +
						`{"To_Account":"e",` + over + `},` +
						`{"To_Account":"c","ResultCode":0,"ResultInfo":""}]}`,
				},
				{
					Name:     "followers are unlimited",
					Path:     "follow/follow_add",
					Body:     `{"From_Account":"e","FollowItem":[{"To_Account":"b"}]}`,
					Want:     `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"b","ResultCode":0,"ResultInfo":""}]}`,
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"e","FollowList":[{"To_Account":"b"}],"EventTime":1702018343678}`},
				},
				{
					Name:     "and so are mutual follows",
					Path:     "follow/follow_add",
					Body:     `{"From_Account":"b","FollowItem":[{"To_Account":"a"},{"To_Account":"e"}]}`,
					Want:     `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"a","ResultCode":0,"ResultInfo":""},{"To_Account":"e","ResultCode":0,"ResultInfo":""}]}`,
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"b","FollowList":[{"To_Account":"a"},{"To_Account":"e"}],"EventTime":1702018343678}`},
				},
				{
					Name:     "unfollowing makes room",
					Path:     "follow/follow_delete",
					Body:     `{"From_Account":"a","To_Account":["c"]}`,
					Want:     `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"c","ResultCode":0,"ResultInfo":""}]}`,
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"a","To_Account":["c"],"EventTime":1702018343679}`},
				},
				{
					Name: "for one more",
					Path: "follow/follow_add",
					Body: `{"From_Account":"a","FollowItem":[{"To_Account":"e"},{"To_Account":"d"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[` +
						`{"To_Account":"e","ResultCode":0,"ResultInfo":""},` +
						`{"To_Account":"d",` + over + `}]}`,
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"a","FollowList":[{"To_Account":"e"}],"EventTime":1702018343680}`},
				},
				{
					Name: "counts",
					Path: "follow/follow_get_info",
					Body: `{"From_Account":"a","To_Account":["a","b","e"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[` +
						`{"To_Account":"a","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":2,"MutualFollowingCount":1},` +
						`{"To_Account":"b","ResultCode":0,"ResultInfo":"","FollowerCount":2,"FollowingCount":2,"MutualFollowingCount":2},` +
						`{"To_Account":"e","ResultCode":0,"ResultInfo":"","FollowerCount":2,"FollowingCount":1,"MutualFollowingCount":1}]}`,
				},
			})
		})
	}
}
