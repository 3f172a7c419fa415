// Command on-after-create-official-account is the deployable receiver of OfficialAccount.CallbackAfterCreateOfficialAccount.
package main

import (
	onaftercreateofficialaccount "github.com/chatfollow/chatfollow/functions/on-after-create-official-account"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

func main() {
	platform.ServeHTTP(receiver.Function(onaftercreateofficialaccount.Command, receiver.Handlers{}))
}
