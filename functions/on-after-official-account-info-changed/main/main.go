// Command on-after-official-account-info-changed is the deployable receiver of OfficialAccount.CallbackAfterOfficialAccountInfoChanged.
package main

import (
	onafterofficialaccountinfochanged "github.com/chatfollow/chatfollow/functions/on-after-official-account-info-changed"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

func main() {
	platform.ServeHTTP(receiver.Function(onafterofficialaccountinfochanged.Command, receiver.Handlers{}))
}
