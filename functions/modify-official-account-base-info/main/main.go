// Command modify-official-account-base-info is the deployable modify_official_account_base_info function.
package main

import (
	modifyofficialaccountbaseinfo "github.com/chatfollow/chatfollow/functions/modify-official-account-base-info"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(modifyofficialaccountbaseinfo.Operation)) }
