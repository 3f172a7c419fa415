// Command account-check is the deployable account_check function.
package main

import (
	accountcheck "github.com/chatfollow/chatfollow/functions/account-check"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(accountcheck.Operation)) }
