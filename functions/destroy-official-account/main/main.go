// Command destroy-official-account is the deployable destroy_official_account function.
package main

import (
	destroyofficialaccount "github.com/chatfollow/chatfollow/functions/destroy-official-account"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(destroyofficialaccount.Operation)) }
