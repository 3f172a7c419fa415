package followdelete_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

var start = time.UnixMilli(1702018343678)

const long = "abcdefghijklmnopqrstuvwxyz0123456" // 33 bytes: not a UserID

func read(t *testing.T, name string) string {
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(b)
}

// TestDocumentationSample posts the sample request of Tencent's follow_delete page byte for
// byte; the answer is the page's sample answer, and the webhook written is the sample body of
// Follow.CallbackAfterFollowDelete's page (testdata/ holds both, copied from Tencent's pages in docs/tencent/).
func TestDocumentationSample(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := servertest.Scenario(t, b.URL(t), start.Add(-time.Hour))
			s.Import(t, "UserID_001", "UserID_002", "UserID_003")
			s.Call(t, "follow/follow_add", `{"From_Account":"UserID_001","FollowItem":[{"To_Account":"UserID_002"},{"To_Account":"UserID_003"}]}`)
			s.Outbox.Take()
			clock.Advance(time.Hour)

			got := s.Call(t, "follow/follow_delete", read(t, "doc_request.json"))
			require.JSONEq(t, read(t, "doc_response.json"), got)
			require.Equal(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"UserID_002","ResultCode":0,"ResultInfo":""},{"To_Account":"UserID_003","ResultCode":0,"ResultInfo":""}]}`, got)
			hooks := s.Outbox.Take()
			require.Len(t, hooks, 1)
			require.JSONEq(t, read(t, "doc_webhook.json"), hooks[0])
			require.Equal(t, `{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"UserID_001","To_Account":["UserID_002","UserID_003"],"EventTime":1702018343678}`, hooks[0])
		})
	}
}

// TestFollowDelete covers follow_delete's rows and decisions of docs/wire.md sections 2 and 7.
func TestFollowDelete(t *testing.T) {
	t.Parallel()
	fail := func(code, info string) string {
		return `{"ActionStatus":"FAIL","ErrorCode":` + code + `,"ErrorInfo":"` + info + `","ErrorDisplay":""}`
	}
	list := func(n int, to string) string {
		return `[` + strings.TrimSuffix(strings.Repeat(`"`+to+`",`, n), ",") + `]`
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := servertest.Scenario(t, b.URL(t), start)
			s.Import(t, "a", "b", "c", "d")
			s.Call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"b"},{"To_Account":"d"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"b","FollowItem":[{"To_Account":"a"}]}`)
			s.Outbox.Take()
			steps := []servertest.Step{
				{
					Name: "every kind of target in one call, a repeated one reported once",
					Body: `{"From_Account":"a","To_Account":["b","c","a","zz","","` + long + `","b"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[` +
						`{"To_Account":"b","ResultCode":0,"ResultInfo":""},` +
						`{"To_Account":"c","ResultCode":0,"ResultInfo":""},` +
						`{"To_Account":"a","ResultCode":30001,"ResultInfo":"From_Account and To_Account must differ: nobody follows themself"},` +
						`{"To_Account":"zz","ResultCode":30003,"ResultInfo":"To_Account is not imported"},` +
						`{"To_Account":"","ResultCode":30001,"ResultInfo":"To_Account must be a UserID of 1 to 32 bytes"},` +
						`{"To_Account":"` + long + `","ResultCode":30001,"ResultInfo":"To_Account must be a UserID of 1 to 32 bytes"}]}`,
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"a","To_Account":["b"],"EventTime":1702018343679}`},
				},
				{
					Name: "not followed (any more): 0 and no webhook",
					Body: `{"From_Account":"a","To_Account":["b","c"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"b","ResultCode":0,"ResultInfo":""},{"To_Account":"c","ResultCode":0,"ResultInfo":""}]}`,
				},
				{
					Name: "counts: the mutual follow is gone, b still follows a",
					Path: "follow/follow_get_info",
					Body: `{"From_Account":"a","To_Account":["a","b","d"]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[` +
						`{"To_Account":"a","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":1,"MutualFollowingCount":0},` +
						`{"To_Account":"b","ResultCode":0,"ResultInfo":"","FollowerCount":0,"FollowingCount":1,"MutualFollowingCount":0},` +
						`{"To_Account":"d","ResultCode":0,"ResultInfo":"","FollowerCount":1,"FollowingCount":0,"MutualFollowingCount":0}]}`,
				},
				{Name: "From_Account not imported", Body: `{"From_Account":"zz","To_Account":["a"]}`, Want: fail("30003", "From_Account zz is not imported")},
				{Name: "From_Account missing", Body: `{"To_Account":["a"]}`, Want: fail("30001", "From_Account is required")},
				{Name: "From_Account empty", Body: `{"From_Account":"","To_Account":["a"]}`, Want: fail("30001", "From_Account must be a UserID of 1 to 32 bytes")},
				{Name: "From_Account too long", Body: `{"From_Account":"` + long + `","To_Account":["a"]}`, Want: fail("30001", "From_Account must be a UserID of 1 to 32 bytes")},
				{Name: "From_Account a number", Body: `{"From_Account":7,"To_Account":["a"]}`, Want: fail("60015", "From_Account must be a string")},
				{Name: "To_Account missing", Body: `{"From_Account":"a"}`, Want: fail("30001", "To_Account is required and must list 1 to 20 items")},
				{Name: "To_Account empty", Body: `{"From_Account":"a","To_Account":[]}`, Want: fail("30001", "To_Account is required and must list 1 to 20 items")},
				{Name: "shape before existence", Body: `{"From_Account":"zz","To_Account":[]}`, Want: fail("30001", "To_Account is required and must list 1 to 20 items")},
				{Name: "21 targets, counted before de-duplication", Body: `{"From_Account":"a","To_Account":` + list(21, "d") + `}`, Want: fail("30001", "To_Account lists 21 items; at most 20 are allowed")},
				{Name: "To_Account a string", Body: `{"From_Account":"a","To_Account":"d"}`, Want: fail("30001", "To_Account has the wrong type: want an array")},
				{Name: "To_Account of objects", Body: `{"From_Account":"a","To_Account":[{"To_Account":"d"}]}`, Want: fail("60015", "every item of To_Account must be a string")},
				{Name: "To_Account of numbers", Body: `{"From_Account":"a","To_Account":[123]}`, Want: fail("60015", "every item of To_Account must be a string")},
				{Name: "To_Account null", Body: `{"From_Account":"a","To_Account":null}`, Want: fail("60015", "To_Account must be a string")},
				{Name: "follow_add's shape is not follow_delete's", Body: `{"From_Account":"a","FollowItem":[{"To_Account":"d"}]}`, Want: fail("30001", "To_Account is required and must list 1 to 20 items")},
				{
					Name:     "20 targets, the same one 20 times",
					Body:     `{"From_Account":"a","To_Account":` + list(20, "d") + `}`,
					Want:     `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"d","ResultCode":0,"ResultInfo":""}]}`,
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"a","To_Account":["d"],"EventTime":1702018343680}`},
				},
			}
			for i := range steps {
				if steps[i].Path == "" {
					steps[i].Path = "follow/follow_delete"
				}
			}
			s.Run(t, clock, steps)
		})
	}
}
