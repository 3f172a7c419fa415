// Command on-after-official-account-full is the deployable receiver of OfficialAccount.CallbackAfterOfficialAccountFull, on RECEIVER_* variables only.
package main

import (
	onafterofficialaccountfull "github.com/chatfollow/chatfollow/functions/on-after-official-account-full"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
)

func main() { function.Serve(onafterofficialaccountfull.Command, receiver.Handlers{}) }
