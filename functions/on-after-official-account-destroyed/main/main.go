// Command on-after-official-account-destroyed is the deployable receiver of OfficialAccount.CallbackAfterOfficialAccountDestroyed.
package main

import (
	onafterofficialaccountdestroyed "github.com/chatfollow/chatfollow/functions/on-after-official-account-destroyed"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

func main() {
	platform.ServeHTTP(receiver.Function(onafterofficialaccountdestroyed.Command, receiver.Handlers{}))
}
