// Command account-delete is the deployable account_delete function.
package main

import (
	accountdelete "github.com/chatfollow/chatfollow/functions/account-delete"
	"github.com/chatfollow/chatfollow/shared/platform"
)

func main() { platform.ServeREST(accountdelete.Operation) }
