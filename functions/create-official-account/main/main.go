// Command create-official-account is the deployable create_official_account function.
package main

import (
	createofficialaccount "github.com/chatfollow/chatfollow/functions/create-official-account"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(createofficialaccount.Operation)) }
