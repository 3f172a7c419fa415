// Package webhook is Tencent Chat's webhook protocol as both sides see it: the callback commands,
// their JSON bodies, the query string of a callback URL, the Sign of docs/wire.md section 5, and the
// answer a receiver gives.
//
// Supported API for other modules (see the README).
package webhook

// The callback commands of docs/wire.md section 5.
const (
	CmdAfterFollowAdd                  = "Follow.CallbackAfterFollowAdd"
	CmdAfterFollowDelete               = "Follow.CallbackAfterFollowDelete"
	CmdBeforeCreateOfficialAccount     = "OfficialAccount.CallbackBeforeCreateOfficialAccount"
	CmdAfterCreateOfficialAccount      = "OfficialAccount.CallbackAfterCreateOfficialAccount"
	CmdAfterOfficialAccountInfoChanged = "OfficialAccount.CallbackAfterOfficialAccountInfoChanged"
	CmdAfterOfficialAccountDestroyed   = "OfficialAccount.CallbackAfterOfficialAccountDestroyed"
	CmdBeforeAddSubscriber             = "OfficialAccount.CallbackBeforeAddSubscriber"
	CmdAfterAddSubscriber              = "OfficialAccount.CallbackAfterAddSubscriber"
	CmdAfterOfficialAccountFull        = "OfficialAccount.CallbackAfterOfficialAccountFull"
	CmdAfterDeleteSubscriber           = "OfficialAccount.CallbackAfterDeleteSubscriber"
)

// Commands lists every command, in the order of docs/wire.md.
func Commands() []string {
	return []string{
		CmdAfterFollowAdd, CmdAfterFollowDelete,
		CmdBeforeCreateOfficialAccount, CmdAfterCreateOfficialAccount,
		CmdAfterOfficialAccountInfoChanged, CmdAfterOfficialAccountDestroyed,
		CmdBeforeAddSubscriber, CmdAfterAddSubscriber,
		CmdAfterOfficialAccountFull, CmdAfterDeleteSubscriber,
	}
}

// Platforms are the OptPlatform values a receiver knows. RESTAPI marks events caused by a REST
// call; macOS and IOS are spellings Tencent also sends.
func Platforms() []string {
	return []string{"RESTAPI", "Web", "Android", "iOS", "Windows", "Mac", "iPad", "Unknown", "macOS", "IOS"}
}

// PlatformREST is the OptPlatform of events caused by a REST call.
const PlatformREST = "RESTAPI"
