// Command on-before-create-official-account is the deployable receiver of OfficialAccount.CallbackBeforeCreateOfficialAccount.
package main

import (
	onbeforecreateofficialaccount "github.com/chatfollow/chatfollow/functions/on-before-create-official-account"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

func main() {
	platform.ServeHTTP(receiver.Function(onbeforecreateofficialaccount.Command, receiver.Handlers{}))
}
