package localserver_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

func TestSmoke(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "a", "b", "c")
			out := s.Call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"b"},{"To_Account":"c"},{"To_Account":"a"},{"To_Account":"zz"}]}`)
			t.Log(out)
			out = s.Call(t, "follow/follow_add", `{"From_Account":"b","FollowItem":[{"To_Account":"a"}]}`)
			t.Log(out)
			t.Log(s.Call(t, "follow/follow_check", `{"From_Account":"a","To_Account":["b","c","a","zz"]}`))
			t.Log(s.Call(t, "follow/follow_get_info", `{"From_Account":"a","To_Account":["a","b","c"]}`))
			t.Log(s.Call(t, "follow/follow_get", `{"From_Account":"a","FollowType":2,"WantNum":1}`))
			t.Log(s.Call(t, "follow/follow_get", `{"From_Account":"a","FollowType":3}`))
			t.Log(s.Call(t, "follow/follow_delete", `{"From_Account":"a","To_Account":["b","b","zz"]}`))
			t.Log(s.Call(t, "im_open_login_svc/account_delete", `{"DeleteItem":[{"UserID":"c"},{"UserID":"nope"}]}`))
			t.Log(s.Call(t, "im_open_login_svc/account_check", `{"CheckItem":[{"UserID":"c"},{"UserID":"a"}]}`))
			t.Log(s.Call(t, "im_open_login_svc/multiaccount_import", `{"Accounts":["x","","y"]}`))
			t.Log(s.Call(t, "follow/follow_get_info", `{"From_Account":"a","To_Account":["a","b","c"]}`))
			require.NotEmpty(t, out)
		})
	}
}
