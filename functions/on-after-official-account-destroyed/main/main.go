// Command on-after-official-account-destroyed is the deployable receiver of OfficialAccount.CallbackAfterOfficialAccountDestroyed, on RECEIVER_* variables only.
package main

import (
	onafterofficialaccountdestroyed "github.com/chatfollow/chatfollow/functions/on-after-official-account-destroyed"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
)

func main() { function.Serve(onafterofficialaccountdestroyed.Command, receiver.Handlers{}) }
