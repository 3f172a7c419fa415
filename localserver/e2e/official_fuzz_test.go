package e2e_test

import (
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	ot "github.com/chatfollow/chatfollow/localserver/servertest/officialtest"
)

// commands are the nine official-account commands, chosen in FuzzOfficialRequests by index.
var commands = []string{
	"create_official_account", "destroy_official_account", "modify_official_account_base_info",
	"get_official_account_info", "add_subscriber", "delete_subscriber",
	"modify_subscriber_info", "get_subscriber_info", "get_subscribed_official_account_list",
}

// codes are every code a request body alone can cause; 10004 (internal error) is not one.
var codes = []int{0, 60003, 60015, 6017, 130004, 130007, 130008}

// FuzzOfficialRequests posts arbitrary bodies to the official-account commands through the real
// gateway and store: every answer is HTTP 200 with Tencent's envelope and a documented code, and
// nothing panics, hangs or fails inside. The seed corpus (testdata/fuzz/FuzzOfficialRequests)
// holds the documentation's samples and broken variants of them, so it runs as a plain test.
func FuzzOfficialRequests(f *testing.F) {
	s := servertest.Start(f, "sqlite:"+filepath.Join(f.TempDir(), "fuzz.db"))
	s.Import(f, "107867", "a", "b")
	ot.Call(f, s, "create_official_account", `{"Owner_Account":"107867","Name":"seed","OfficialAccountUserID":"@TOA#_seed"}`)
	ot.Call(f, s, "add_subscriber", `{"Official_Account":"@TOA#_seed","SubscriberList":[{"Subscriber_Account":"a"}]}`)
	client := &http.Client{}
	f.Fuzz(func(t *testing.T, command uint8, body []byte) {
		path := "/v4/" + ot.Service + commands[int(command)%len(commands)] + "?" + s.Query()
		resp, err := client.Post(s.URL+path, "application/json", strings.NewReader(string(body)))
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var answer struct {
			ActionStatus string
			ErrorCode    *int
			ErrorInfo    *string
		}
		require.NoError(t, json.Unmarshal(raw, &answer), "answer: %s", raw)
		require.NotNil(t, answer.ErrorCode, "answer: %s", raw)
		require.NotNil(t, answer.ErrorInfo, "answer: %s", raw)
		require.Contains(t, codes, *answer.ErrorCode, "answer: %s", raw)
		if *answer.ErrorCode == 0 {
			require.Equal(t, "OK", answer.ActionStatus)
		} else {
			require.Equal(t, "FAIL", answer.ActionStatus)
			require.NotEmpty(t, *answer.ErrorInfo)
		}
		require.True(t, slices.Contains([]string{"OK", "FAIL"}, answer.ActionStatus))
	})
}
