// Command on-after-official-account-full is the deployable receiver of OfficialAccount.CallbackAfterOfficialAccountFull.
package main

import (
	onafterofficialaccountfull "github.com/chatfollow/chatfollow/functions/on-after-official-account-full"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

func main() {
	platform.ServeHTTP(receiver.Function(onafterofficialaccountfull.Command, receiver.Handlers{}))
}
