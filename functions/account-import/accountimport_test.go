package accountimport_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

const (
	okImport = `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`
	long     = "abcdefghijklmnopqrstuvwxyz0123456" // 33 bytes: not a UserID
)

func fail(code, info string) string {
	return `{"ActionStatus":"FAIL","ErrorCode":` + code + `,"ErrorInfo":"` + info + `"}`
}

// following is the follow_get answer listing u (followed by "viewer" at t0) with its profile.
func following(profile string, seq string) string {
	return `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowItem":[{"To_Account":"u","FollowTime":1702018343,"ProfileItem":[` + profile + `],"profile_sequence":` + seq + `}],"NextCursor":""}`
}

// TestAccountImport covers account_import's rows and decisions of docs/wire.md sections 3 and 7. The
// imported profile is read back through follow_get, the one API that shows it.
func TestAccountImport(t *testing.T) {
	nick500 := strings.Repeat("名", 166) + "ab" // 500 bytes
	const view = `{"From_Account":"viewer","FollowType":2}`
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := servertest.Scenario(t, b.URL(t), time.Unix(1702018343, 0))
			steps := []servertest.Step{
				{Name: "the documented request", Body: `{"UserID":"u","Nick":"n","FaceUrl":"http://..."}`, Want: okImport},
				{Name: "viewer", Body: `{"UserID":"viewer"}`, Want: okImport},
				{Name: "viewer follows u", Path: "follow/follow_add", Body: `{"From_Account":"viewer","FollowItem":[{"To_Account":"u"}]}`,
					Want:     `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"u","ResultCode":0,"ResultInfo":""}]}`,
					Webhooks: []string{`{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"viewer","FollowList":[{"To_Account":"u"}],"EventTime":1702018343000}`}},
				{Name: "imported profile", Path: "follow/follow_get", Body: view,
					Want: following(`{"Tag":"Tag_Profile_IM_Nick","Value":"n"},{"Tag":"Tag_Profile_IM_Image","Value":"http://..."}`, "1")},
				{Name: "re-import with the same values succeeds", Body: `{"UserID":"u","Nick":"n","FaceUrl":"http://..."}`, Want: okImport},
				{Name: "and changes nothing", Path: "follow/follow_get", Body: view,
					Want: following(`{"Tag":"Tag_Profile_IM_Nick","Value":"n"},{"Tag":"Tag_Profile_IM_Image","Value":"http://..."}`, "1")},
				{Name: "re-import with only Nick", Body: `{"UserID":"u","Nick":"m"}`, Want: okImport},
				{Name: "changes only Nick", Path: "follow/follow_get", Body: view,
					Want: following(`{"Tag":"Tag_Profile_IM_Nick","Value":"m"},{"Tag":"Tag_Profile_IM_Image","Value":"http://..."}`, "2")},
				{Name: "re-import without profile fields", Body: `{"UserID":"u"}`, Want: okImport},
				{Name: "keeps the profile", Path: "follow/follow_get", Body: view,
					Want: following(`{"Tag":"Tag_Profile_IM_Nick","Value":"m"},{"Tag":"Tag_Profile_IM_Image","Value":"http://..."}`, "2")},
				{Name: "an empty FaceUrl is present: it clears the image", Body: `{"UserID":"u","FaceUrl":""}`, Want: okImport},
				{Name: "cleared", Path: "follow/follow_get", Body: view, Want: following(`{"Tag":"Tag_Profile_IM_Nick","Value":"m"}`, "3")},
				{Name: "null counts as absent", Body: `{"UserID":"u","Nick":null,"FaceUrl":null}`, Want: okImport},
				{Name: "unchanged", Path: "follow/follow_get", Body: view, Want: following(`{"Tag":"Tag_Profile_IM_Nick","Value":"m"}`, "3")},
				{Name: "a 500-byte Nick", Body: `{"UserID":"u","Nick":"` + nick500 + `"}`, Want: okImport},
				{Name: "is kept whole", Path: "follow/follow_get", Body: view, Want: following(`{"Tag":"Tag_Profile_IM_Nick","Value":"`+nick500+`"}`, "4")},
				{Name: "a 501-byte Nick", Body: `{"UserID":"u","Nick":"` + nick500 + `c"}`, Want: fail("40601", "Nick is longer than 500 bytes")},
				{Name: "a 501-byte FaceUrl", Body: `{"UserID":"u","Nick":"ok","FaceUrl":"` + strings.Repeat("f", 501) + `"}`, Want: fail("40601", "FaceUrl is longer than 500 bytes")},
				{Name: "a 501-byte Nick of a new account", Body: `{"UserID":"new","Nick":"` + strings.Repeat("n", 501) + `"}`, Want: fail("40601", "Nick is longer than 500 bytes")},
				{Name: "refused imports changed nothing", Path: "follow/follow_get", Body: view, Want: following(`{"Tag":"Tag_Profile_IM_Nick","Value":"`+nick500+`"}`, "4")},
				{Name: "nor created the account", Path: "im_open_login_svc/account_check", Body: `{"CheckItem":[{"UserID":"new"}]}`,
					Want: `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"UserID":"new","ResultCode":0,"ResultInfo":"","AccountStatus":"NotImported"}]}`},
				{Name: "a 32-byte UserID", Body: `{"UserID":"` + long[:32] + `"}`, Want: okImport},
				{Name: "UserID missing", Body: `{"Nick":"n"}`, Want: fail("70402", "UserID is required")},
				{Name: "UserID empty", Body: `{"UserID":""}`, Want: fail("70402", "UserID must be a UserID of 1 to 32 bytes")},
				{Name: "UserID too long", Body: `{"UserID":"` + long + `"}`, Want: fail("70402", "UserID must be a UserID of 1 to 32 bytes")},
				{Name: "UserID before the profile", Body: `{"UserID":"","Nick":"` + strings.Repeat("n", 501) + `"}`, Want: fail("70402", "UserID must be a UserID of 1 to 32 bytes")},
				{Name: "UserID a number", Body: `{"UserID":12}`, Want: fail("60015", "UserID must be a string")},
				{Name: "UserID a list", Body: `{"UserID":["u"]}`, Want: fail("60015", "UserID must be a string")},
				{Name: "Nick a number", Body: `{"UserID":"u","Nick":12}`, Want: fail("70402", "Nick has the wrong type: want a string")},
				{Name: "FaceUrl an object", Body: `{"UserID":"u","FaceUrl":{}}`, Want: fail("70402", "FaceUrl has the wrong type: want a string")},
				{Name: "unknown fields are ignored", Body: `{"UserID":"u2","Gender":"m","Extra":[1]}`, Want: okImport},
			}
			for i := range steps {
				if steps[i].Path == "" {
					steps[i].Path = "im_open_login_svc/account_import"
				}
			}
			s.Run(t, clock, steps)
		})
	}
}
