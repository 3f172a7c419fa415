// Command on-after-create-official-account is the deployable receiver of OfficialAccount.CallbackAfterCreateOfficialAccount, on RECEIVER_* variables only.
package main

import (
	onaftercreateofficialaccount "github.com/chatfollow/chatfollow/functions/on-after-create-official-account"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
)

func main() { function.Serve(onaftercreateofficialaccount.Command, receiver.Handlers{}) }
