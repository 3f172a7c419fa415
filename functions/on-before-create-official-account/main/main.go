// Command on-before-create-official-account is the deployable receiver of OfficialAccount.CallbackBeforeCreateOfficialAccount, on RECEIVER_* variables only.
package main

import (
	onbeforecreateofficialaccount "github.com/chatfollow/chatfollow/functions/on-before-create-official-account"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
)

func main() { function.Serve(onbeforecreateofficialaccount.Command, receiver.Handlers{}) }
