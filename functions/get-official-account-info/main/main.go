// Command get-official-account-info is the deployable get_official_account_info function.
package main

import (
	getofficialaccountinfo "github.com/chatfollow/chatfollow/functions/get-official-account-info"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(getofficialaccountinfo.Operation)) }
