// Command account-delete is the deployable account_delete function.
package main

import (
	accountdelete "github.com/chatfollow/chatfollow/functions/account-delete"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(accountdelete.Operation)) }
