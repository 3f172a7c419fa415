package protocol_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/protocol"
)

// envelopeMembers surround an answer's own members on the wire; the response types leave them
// out.
var envelopeMembers = []string{"ActionStatus", "ErrorCode", "ErrorInfo", "ErrorDisplay"}

// samples maps every file of testdata/tencent and testdata/synthetic to the type it is a body of.
var samples = map[string]func() any{
	"tencent/follow_delete.request.json":                         func() any { return new(protocol.FollowDeleteRequest) },
	"tencent/follow_delete.response.json":                        func() any { return new(protocol.FollowDeleteResponse) },
	"tencent/Follow.CallbackAfterFollowDelete.json":              func() any { return new(protocol.AfterFollowDelete) },
	"tencent/OfficialAccount.CallbackAfterDeleteSubscriber.json": func() any { return new(protocol.Subscribers) },

	"synthetic/Follow.CallbackAfterFollowAdd.json":                           func() any { return new(protocol.AfterFollowAdd) },
	"synthetic/OfficialAccount.CallbackBeforeCreateOfficialAccount.json":     func() any { return new(protocol.BeforeCreateOfficialAccount) },
	"synthetic/OfficialAccount.CallbackAfterCreateOfficialAccount.json":      func() any { return new(protocol.AfterCreateOfficialAccount) },
	"synthetic/OfficialAccount.CallbackAfterOfficialAccountInfoChanged.json": func() any { return new(protocol.AfterOfficialAccountInfoChanged) },
	"synthetic/OfficialAccount.CallbackAfterOfficialAccountDestroyed.json":   func() any { return new(protocol.AfterOfficialAccountDestroyed) },
	"synthetic/OfficialAccount.CallbackBeforeAddSubscriber.json":             func() any { return new(protocol.Subscribers) },
	"synthetic/OfficialAccount.CallbackAfterAddSubscriber.json":              func() any { return new(protocol.Subscribers) },
	"synthetic/OfficialAccount.CallbackAfterOfficialAccountFull.json":        func() any { return new(protocol.AfterOfficialAccountFull) },
	"synthetic/follow_add.request.json":                                      func() any { return new(protocol.FollowAddRequest) },
	"synthetic/follow_add.response.json":                                     func() any { return new(protocol.FollowAddResponse) },
	"synthetic/follow_check.request.json":                                    func() any { return new(protocol.FollowCheckRequest) },
	"synthetic/follow_check.response.json":                                   func() any { return new(protocol.FollowCheckResponse) },
	"synthetic/follow_get.request.json":                                      func() any { return new(protocol.FollowGetRequest) },
	"synthetic/follow_get.response.json":                                     func() any { return new(protocol.FollowGetResponse) },
	"synthetic/follow_get_info.request.json":                                 func() any { return new(protocol.FollowGetInfoRequest) },
	"synthetic/follow_get_info.response.json":                                func() any { return new(protocol.FollowGetInfoResponse) },
	"synthetic/account_import.request.json":                                  func() any { return new(protocol.AccountImportRequest) },
	"synthetic/multiaccount_import.request.json":                             func() any { return new(protocol.MultiAccountImportRequest) },
	"synthetic/multiaccount_import.response.json":                            func() any { return new(protocol.MultiAccountImportResponse) },
	"synthetic/account_check.request.json":                                   func() any { return new(protocol.AccountCheckRequest) },
	"synthetic/account_check.response.json":                                  func() any { return new(protocol.AccountCheckResponse) },
	"synthetic/account_delete.request.json":                                  func() any { return new(protocol.AccountDeleteRequest) },
	"synthetic/account_delete.response.json":                                 func() any { return new(protocol.AccountDeleteResponse) },
	"synthetic/create_official_account.request.json":                         func() any { return new(protocol.CreateOfficialAccountRequest) },
	"synthetic/create_official_account.response.json":                        func() any { return new(protocol.CreateOfficialAccountResponse) },
	"synthetic/destroy_official_account.request.json":                        func() any { return new(protocol.DestroyOfficialAccountRequest) },
	"synthetic/modify_official_account_base_info.request.json":               func() any { return new(protocol.ModifyOfficialAccountBaseInfoRequest) },
	"synthetic/get_official_account_info.request.json":                       func() any { return new(protocol.GetOfficialAccountInfoRequest) },
	"synthetic/get_official_account_info.response.json":                      func() any { return new(protocol.GetOfficialAccountInfoResponse) },
	"synthetic/add_subscriber.request.json":                                  func() any { return new(protocol.AddSubscriberRequest) },
	"synthetic/add_subscriber.response.json":                                 func() any { return new(protocol.AddSubscriberResponse) },
	"synthetic/delete_subscriber.request.json":                               func() any { return new(protocol.DeleteSubscriberRequest) },
	"synthetic/delete_subscriber.response.json":                              func() any { return new(protocol.DeleteSubscriberResponse) },
	"synthetic/modify_subscriber_info.request.json":                          func() any { return new(protocol.ModifySubscriberInfoRequest) },
	"synthetic/get_subscriber_info.request.json":                             func() any { return new(protocol.GetSubscriberInfoRequest) },
	"synthetic/get_subscriber_info.response.json":                            func() any { return new(protocol.GetSubscriberInfoResponse) },
	"synthetic/get_subscribed_official_account_list.request.json":            func() any { return new(protocol.GetSubscribedOfficialAccountListRequest) },
	"synthetic/get_subscribed_official_account_list.response.json":           func() any { return new(protocol.GetSubscribedOfficialAccountListResponse) },
}

// TestSamples: every sample decodes into its type, strictly, and encodes again to the same JSON
// (compared as values: member order and spacing aside), the answer envelope left out.
func TestSamples(t *testing.T) {
	for name, newBody := range samples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(filepath.Join("testdata", name))
			require.NoError(t, err)
			var want map[string]any
			require.NoError(t, json.Unmarshal(raw, &want))
			for _, m := range envelopeMembers {
				delete(want, m)
			}
			body := newBody()
			require.NoError(t, json.Unmarshal(raw, body, json.RejectUnknownMembers(!strings.HasSuffix(name, ".response.json"))))
			out, err := json.Marshal(body)
			require.NoError(t, err)
			var got map[string]any
			require.NoError(t, json.Unmarshal(out, &got))
			require.Equal(t, want, got)
		})
	}
}

// TestSamplesListed: every file under testdata is in the table above, and every Tencent sample
// names its page in testdata/tencent/README.md.
func TestSamplesListed(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("testdata", "tencent", "README.md"))
	require.NoError(t, err)
	for _, dir := range []string{"tencent", "synthetic"} {
		files, err := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
		require.NoError(t, err)
		require.NotEmpty(t, files)
		for _, f := range files {
			name := dir + "/" + filepath.Base(f)
			require.Contains(t, samples, name, "%s has no type in the table", name)
			if dir == "tencent" {
				require.Contains(t, string(readme), "`"+filepath.Base(f)+"`", "%s does not name its page", name)
			}
		}
	}
}

// TestCallbackBodies: each body type answers its own CallbackCommand, and the list of commands
// has all ten once.
func TestCallbackBodies(t *testing.T) {
	require.Equal(t, []string{
		"Follow.CallbackAfterFollowAdd", "Follow.CallbackAfterFollowDelete",
		"OfficialAccount.CallbackBeforeCreateOfficialAccount", "OfficialAccount.CallbackAfterCreateOfficialAccount",
		"OfficialAccount.CallbackAfterOfficialAccountInfoChanged", "OfficialAccount.CallbackAfterOfficialAccountDestroyed",
		"OfficialAccount.CallbackBeforeAddSubscriber", "OfficialAccount.CallbackAfterAddSubscriber",
		"OfficialAccount.CallbackAfterOfficialAccountFull", "OfficialAccount.CallbackAfterDeleteSubscriber",
	}, protocol.CallbackCommands())
	for _, tc := range []struct {
		body protocol.CallbackBody
		want string
	}{
		{protocol.AfterFollowAdd{}, "Follow.CallbackAfterFollowAdd"},
		{protocol.AfterFollowDelete{}, "Follow.CallbackAfterFollowDelete"},
		{protocol.BeforeCreateOfficialAccount{}, "OfficialAccount.CallbackBeforeCreateOfficialAccount"},
		{protocol.AfterCreateOfficialAccount{}, "OfficialAccount.CallbackAfterCreateOfficialAccount"},
		{protocol.AfterOfficialAccountInfoChanged{}, "OfficialAccount.CallbackAfterOfficialAccountInfoChanged"},
		{protocol.AfterOfficialAccountDestroyed{}, "OfficialAccount.CallbackAfterOfficialAccountDestroyed"},
		{protocol.AfterOfficialAccountFull{}, "OfficialAccount.CallbackAfterOfficialAccountFull"},
		{protocol.Subscribers{CallbackCommand: "OfficialAccount.CallbackAfterAddSubscriber"}, "OfficialAccount.CallbackAfterAddSubscriber"},
	} {
		require.Equal(t, tc.want, tc.body.Command())
	}
}

// TestPaths: the paths a client posts to.
func TestPaths(t *testing.T) {
	require.Equal(t, "/v4/follow/follow_add", protocol.PathFollowAdd)
	require.Equal(t, "/v4/im_open_login_svc/multiaccount_import", protocol.PathMultiAccountImport)
	require.Equal(t, "/v4/official_account_open_http_svc/get_subscribed_official_account_list", protocol.PathGetSubscribedOfficialAccountList)
}
