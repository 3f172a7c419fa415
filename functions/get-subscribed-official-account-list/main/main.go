// Command get-subscribed-official-account-list is the deployable get_subscribed_official_account_list function.
package main

import (
	getsubscribedofficialaccountlist "github.com/chatfollow/chatfollow/functions/get-subscribed-official-account-list"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(getsubscribedofficialaccountlist.Operation)) }
