// Command account-import is the deployable account_import function.
package main

import (
	accountimport "github.com/chatfollow/chatfollow/functions/account-import"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(accountimport.Operation)) }
