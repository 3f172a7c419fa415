// Command multiaccount-import is the deployable multiaccount_import function.
package main

import (
	multiaccountimport "github.com/chatfollow/chatfollow/functions/multiaccount-import"
	"github.com/chatfollow/chatfollow/shared/platform"
)

func main() { platform.ServeREST(multiaccountimport.Operation) }
