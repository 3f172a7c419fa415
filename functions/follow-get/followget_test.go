package followget_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

const t0 = 1702018343

func ok(fields string) string {
	return `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"",` + fields + `}`
}

func fail(code, info string) string {
	return `{"ActionStatus":"FAIL","ErrorCode":` + code + `,"ErrorInfo":"` + info + `","ErrorDisplay":""}`
}

// TestFollowGet covers follow_get's rows and decisions of docs/wire.md sections 2 and 7: the three
// lists newest first (ties in one second exactly reversed; the mutual list by the later of the
// two follows), FollowTime in Unix seconds, the imported profile, profile_sequence, paging with
// opaque cursors, WantNum and FollowType rules.
func TestFollowGet(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := servertest.Scenario(t, b.URL(t), time.Unix(t0, 0))
			s.Import(t, "a", "d")
			s.Call(t, "im_open_login_svc/account_import", `{"UserID":"b","Nick":"Bee","FaceUrl":"http://x/b.png"}`)
			s.Call(t, "im_open_login_svc/account_import", `{"UserID":"b","Nick":"Bea"}`)
			s.Call(t, "im_open_login_svc/account_import", `{"UserID":"c","Nick":"Cee"}`)
			s.Call(t, "im_open_login_svc/account_import", `{"UserID":"e","FaceUrl":"http://x/e.png"}`)
			const (
				bItem = `{"To_Account":"b","FollowTime":%d,"ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"Bea"},{"Tag":"Tag_Profile_IM_Image","Value":"http://x/b.png"}],"profile_sequence":2}`
				cItem = `{"To_Account":"c","FollowTime":%d,"ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"Cee"}],"profile_sequence":1}`
				dItem = `{"To_Account":"d","FollowTime":%d,"ProfileItem":[],"profile_sequence":0}`
				eItem = `{"To_Account":"e","FollowTime":%d,"ProfileItem":[{"Tag":"Tag_Profile_IM_Image","Value":"http://x/e.png"}],"profile_sequence":1}`
			)
			item := func(format string, at int) string { return fmt.Sprintf(format, t0+at) }
			steps := []servertest.Step{
				{Name: "a follows b and c in one second", Path: "follow/follow_add", Body: `{"From_Account":"a","FollowItem":[{"To_Account":"b"},{"To_Account":"c"}]}`,
					Want:     ok(`"ResultItem":[{"To_Account":"b","ResultCode":0,"ResultInfo":""},{"To_Account":"c","ResultCode":0,"ResultInfo":""}]`),
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"a","FollowList":[{"To_Account":"b"},{"To_Account":"c"}],"EventTime":1702018343000}`}},
				{Name: "a follows d", Path: "follow/follow_add", Advance: 10 * time.Second, Body: `{"From_Account":"a","FollowItem":[{"To_Account":"d"}]}`,
					Want:     ok(`"ResultItem":[{"To_Account":"d","ResultCode":0,"ResultInfo":""}]`),
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"a","FollowList":[{"To_Account":"d"}],"EventTime":1702018353000}`}},
				{Name: "c follows a", Path: "follow/follow_add", Advance: 5 * time.Second, Body: `{"From_Account":"c","FollowItem":[{"To_Account":"a"}]}`,
					Want:     ok(`"ResultItem":[{"To_Account":"a","ResultCode":0,"ResultInfo":""}]`),
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"c","FollowList":[{"To_Account":"a"}],"EventTime":1702018358000}`}},
				{Name: "e follows a", Path: "follow/follow_add", Advance: 5 * time.Second, Body: `{"From_Account":"e","FollowItem":[{"To_Account":"a"}]}`,
					Want:     ok(`"ResultItem":[{"To_Account":"a","ResultCode":0,"ResultInfo":""}]`),
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"e","FollowList":[{"To_Account":"a"}],"EventTime":1702018363000}`}},
				{Name: "b follows a in the same second", Path: "follow/follow_add", Body: `{"From_Account":"b","FollowItem":[{"To_Account":"a"}]}`,
					Want:     ok(`"ResultItem":[{"To_Account":"a","ResultCode":0,"ResultInfo":""}]`),
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"b","FollowList":[{"To_Account":"a"}],"EventTime":1702018363000}`}},

				{Name: "the documented request: followers, newest first, ties reversed", Body: `{"From_Account":"a","FollowType":1,"StartCursor":"","WantNum":100}`,
					Want: ok(`"FollowItem":[` + item(bItem, 20) + `,` + item(eItem, 20) + `,` + item(cItem, 15) + `],"NextCursor":""`)},
				{Name: "following: b and c followed in the same second come out reversed", Body: `{"From_Account":"a","FollowType":2}`,
					Want: ok(`"FollowItem":[` + item(dItem, 10) + `,` + item(cItem, 0) + `,` + item(bItem, 0) + `],"NextCursor":""`)},
				{Name: "mutual: by the later of the two follows", Body: `{"From_Account":"a","FollowType":3}`,
					Want: ok(`"FollowItem":[` + item(bItem, 20) + `,` + item(cItem, 15) + `],"NextCursor":""`)},
				{Name: "an empty list", Body: `{"From_Account":"d","FollowType":2}`, Want: ok(`"FollowItem":[],"NextCursor":""`)},
				{Name: "an empty mutual list", Body: `{"From_Account":"d","FollowType":3,"StartCursor":"","WantNum":0}`, Want: ok(`"FollowItem":[],"NextCursor":""`)},

				{Name: "page 1 of 3", Body: `{"From_Account":"a","FollowType":2,"WantNum":1}`, Want: ok(`"FollowItem":[` + item(dItem, 10) + `],"NextCursor":"<cursor>"`)},
				{Name: "page 2 of 3", Body: `{"From_Account":"a","FollowType":2,"WantNum":1,"StartCursor":"<cursor>"}`, Want: ok(`"FollowItem":[` + item(cItem, 0) + `],"NextCursor":"<cursor>"`)},
				{Name: "page 3 of 3", Body: `{"From_Account":"a","FollowType":2,"WantNum":1,"StartCursor":"<cursor>"}`, Want: ok(`"FollowItem":[` + item(bItem, 0) + `],"NextCursor":""`)},
				{Name: "page 1 of 2", Body: `{"From_Account":"a","FollowType":1,"WantNum":2}`, Want: ok(`"FollowItem":[` + item(bItem, 20) + `,` + item(eItem, 20) + `],"NextCursor":"<cursor>"`)},
				{Name: "page 2 of 2, with another page size", Body: `{"From_Account":"a","FollowType":1,"WantNum":5,"StartCursor":"<cursor>"}`, Want: ok(`"FollowItem":[` + item(cItem, 15) + `],"NextCursor":""`)},
				{Name: "a full last page ends the list", Body: `{"From_Account":"a","FollowType":3,"WantNum":2}`, Want: ok(`"FollowItem":[` + item(bItem, 20) + `,` + item(cItem, 15) + `],"NextCursor":""`)},
				{Name: "mutual page 1", Body: `{"From_Account":"a","FollowType":3,"WantNum":1}`, Want: ok(`"FollowItem":[` + item(bItem, 20) + `],"NextCursor":"<cursor>"`)},
				{Name: "mutual page 2", Body: `{"From_Account":"a","FollowType":3,"WantNum":1,"StartCursor":"<cursor>"}`, Want: ok(`"FollowItem":[` + item(cItem, 15) + `],"NextCursor":""`)},

				{Name: "a profile change shows at once", Path: "im_open_login_svc/account_import", Body: `{"UserID":"d","Nick":"Dee"}`, Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`},
				{Name: "with its sequence", Body: `{"From_Account":"a","FollowType":2,"WantNum":1}`,
					Want: ok(`"FollowItem":[{"To_Account":"d","FollowTime":1702018353,"ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"Dee"}],"profile_sequence":1}],"NextCursor":"<cursor>"`)},

				{Name: "FollowType missing", Body: `{"From_Account":"a"}`, Want: fail("30001", "FollowType is required: 1 followers, 2 following, 3 mutual")},
				{Name: "FollowType null", Body: `{"From_Account":"a","FollowType":null}`, Want: fail("30001", "FollowType is required: 1 followers, 2 following, 3 mutual")},
				{Name: "FollowType 0", Body: `{"From_Account":"a","FollowType":0}`, Want: fail("30001", "FollowType must be 1 (followers), 2 (following) or 3 (mutual)")},
				{Name: "FollowType 4", Body: `{"From_Account":"a","FollowType":4}`, Want: fail("30001", "FollowType must be 1 (followers), 2 (following) or 3 (mutual)")},
				{Name: "FollowType -1", Body: `{"From_Account":"a","FollowType":-1}`, Want: fail("30001", "FollowType must be 1 (followers), 2 (following) or 3 (mutual)")},
				{Name: "FollowType huge", Body: `{"From_Account":"a","FollowType":4294967297}`, Want: fail("30001", "FollowType must be 1 (followers), 2 (following) or 3 (mutual)")},
				{Name: "FollowType a string", Body: `{"From_Account":"a","FollowType":"1"}`, Want: fail("30001", "FollowType has the wrong type: want an integer")},
				{Name: "FollowType a fraction", Body: `{"From_Account":"a","FollowType":1.5}`, Want: fail("30001", "FollowType has the wrong type: want an integer")},
				{Name: "WantNum negative", Body: `{"From_Account":"a","FollowType":1,"WantNum":-1}`, Want: fail("30001", "WantNum must be 0 to 1000")},
				{Name: "WantNum over 1000", Body: `{"From_Account":"a","FollowType":1,"WantNum":1001}`, Want: fail("30001", "WantNum must be 0 to 1000")},
				{Name: "WantNum 1000", Body: `{"From_Account":"a","FollowType":1,"WantNum":1000}`,
					Want: ok(`"FollowItem":[` + item(bItem, 20) + `,` + item(eItem, 20) + `,` + item(cItem, 15) + `],"NextCursor":""`)},
				{Name: "WantNum a string", Body: `{"From_Account":"a","FollowType":1,"WantNum":"10"}`, Want: fail("30001", "WantNum has the wrong type: want an integer")},
				{Name: "StartCursor not issued by the server", Body: `{"From_Account":"a","FollowType":1,"StartCursor":"abc"}`, Want: fail("30001", "StartCursor was not issued for this From_Account and FollowType")},
				{Name: "StartCursor a number", Body: `{"From_Account":"a","FollowType":1,"StartCursor":1}`, Want: fail("30001", "StartCursor has the wrong type: want a string")},
				{Name: "StartCursor null is absent", Body: `{"From_Account":"a","FollowType":3,"StartCursor":null}`,
					Want: ok(`"FollowItem":[` + item(bItem, 20) + `,` + item(cItem, 15) + `],"NextCursor":""`)},
				{Name: "From_Account not imported", Body: `{"From_Account":"zz","FollowType":1}`, Want: fail("30003", "From_Account zz is not imported")},
				{Name: "From_Account missing", Body: `{"FollowType":1}`, Want: fail("30001", "From_Account is required")},
				{Name: "From_Account empty", Body: `{"From_Account":"","FollowType":1}`, Want: fail("30001", "From_Account must be a UserID of 1 to 32 bytes")},
				{Name: "From_Account a number", Body: `{"From_Account":1,"FollowType":1}`, Want: fail("60015", "From_Account must be a string")},
				{Name: "shape before existence", Body: `{"From_Account":"zz","FollowType":9}`, Want: fail("30001", "FollowType must be 1 (followers), 2 (following) or 3 (mutual)")},
			}
			for i := range steps {
				if steps[i].Path == "" {
					steps[i].Path = "follow/follow_get"
				}
			}
			s.Run(t, clock, steps)
		})
	}
}

// TestTiesReversed: 60 follows made within one second, in several calls, come out exactly
// reversed, in every list, across pages.
func TestTiesReversed(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, _ := servertest.Scenario(t, b.URL(t), time.Unix(t0, 0))
			ids := accounts(t, s, "u", 60)
			s.Import(t, "a")
			for i := 0; i < 60; i += 20 {
				follow(t, s, "a", ids[i:i+20]...)
			}
			for i := 59; i >= 0; i -= 2 { // every other one follows back, newest target first
				follow(t, s, ids[i], "a")
			}
			var following, mutual []string
			for i := 59; i >= 0; i-- {
				following = append(following, ids[i])
			}
			for i := 1; i < 60; i += 2 {
				mutual = append(mutual, ids[i]) // follow-backs were made in reverse
			}
			require.Equal(t, following, list(t, s, "a", 2, 7))
			require.Equal(t, mutual, list(t, s, "a", 3, 7))
			require.Equal(t, mutual, list(t, s, "a", 1, 1000))
		})
	}
}

// TestDefaultWantNum: WantNum absent or 0 means 100.
func TestDefaultWantNum(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, _ := servertest.Scenario(t, b.URL(t), time.Unix(t0, 0))
			ids := accounts(t, s, "u", 101)
			s.Import(t, "a")
			for i := 0; i < 101; i += 20 {
				follow(t, s, "a", ids[i:min(i+20, 101)]...)
			}
			for _, body := range []string{`{"From_Account":"a","FollowType":2}`, `{"From_Account":"a","FollowType":2,"WantNum":0}`} {
				p := get(t, s, body)
				require.Len(t, p.FollowItem, 100)
				require.NotEmpty(t, p.NextCursor)
				p = get(t, s, `{"From_Account":"a","FollowType":2,"StartCursor":"`+p.NextCursor+`"}`)
				require.Len(t, p.FollowItem, 1)
				require.Equal(t, "u000", p.FollowItem[0].ToAccount)
				require.Empty(t, p.NextCursor)
			}
			p := get(t, s, `{"From_Account":"a","FollowType":2,"WantNum":101}`)
			require.Len(t, p.FollowItem, 101)
			require.Empty(t, p.NextCursor)
		})
	}
}

// TestCursors: a cursor with any character changed, shortened or lengthened, or issued for
// another From_Account or FollowType, or by a server with another key, is 30001; cursors
// survive a restart of the server.
func TestCursors(t *testing.T) {
	t.Parallel()
	const refused = `{"ActionStatus":"FAIL","ErrorCode":30001,"ErrorInfo":"StartCursor was not issued for this From_Account and FollowType","ErrorDisplay":""}`
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			s, _ := servertest.Scenario(t, url, time.Unix(t0, 0))
			s.Import(t, "a", "b", "c", "d")
			follow(t, s, "a", "b", "c", "d")
			follow(t, s, "b", "a", "c", "d")
			follow(t, s, "c", "a", "b")
			follow(t, s, "d", "a", "b")
			cursor := get(t, s, `{"From_Account":"a","FollowType":2,"WantNum":1}`).NextCursor
			require.Len(t, cursor, 40)
			body := func(from string, kind int, c string) string {
				return `{"From_Account":"` + from + `","FollowType":` + strconv.Itoa(kind) + `,"WantNum":1,"StartCursor":"` + c + `"}`
			}
			require.Equal(t, "c", get(t, s, body("a", 2, cursor)).FollowItem[0].ToAccount)
			for i := range cursor {
				r := alphabet[(strings.IndexByte(alphabet, cursor[i])+1+i)%len(alphabet)]
				changed := cursor[:i] + string(r) + cursor[i+1:]
				require.Equal(t, refused, s.Call(t, "follow/follow_get", body("a", 2, changed)), "character %d changed", i)
			}
			for name, c := range map[string]string{
				"shortened":   cursor[:39],
				"lengthened":  cursor + "A",
				"doubled":     cursor + cursor,
				"lower-cased": strings.ToLower(cursor),
			} {
				require.Equal(t, refused, s.Call(t, "follow/follow_get", body("a", 2, c)), name)
			}
			require.Equal(t, refused, s.Call(t, "follow/follow_get", body("b", 2, cursor)), "another From_Account")
			require.Equal(t, refused, s.Call(t, "follow/follow_get", body("a", 1, cursor)), "another FollowType")
			require.Equal(t, refused, s.Call(t, "follow/follow_get", body("a", 3, cursor)), "another FollowType")

			// The same position on another list has another cursor.
			other := get(t, s, `{"From_Account":"a","FollowType":3,"WantNum":1}`).NextCursor
			require.NotEqual(t, cursor, other)

			// A restart keeps cursors valid; a server with another secret key refuses them.
			s.Close()
			s2, _ := servertest.Scenario(t, url, time.Unix(t0, 0))
			require.Equal(t, "c", get(t, s2, body("a", 2, cursor)).FollowItem[0].ToAccount)
			s2.Close()
			s3 := servertest.Start(t, url, func(c *config.Config) { c.SecretKey = "another key" })
			require.Equal(t, refused, s3.Call(t, "follow/follow_get", body("a", 2, cursor)))
		})
	}
}
