// Command on-after-official-account-info-changed is the deployable receiver of OfficialAccount.CallbackAfterOfficialAccountInfoChanged, on RECEIVER_* variables only.
package main

import (
	onafterofficialaccountinfochanged "github.com/chatfollow/chatfollow/functions/on-after-official-account-info-changed"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
)

func main() { function.Serve(onafterofficialaccountinfochanged.Command, receiver.Handlers{}) }
