// Command multiaccount-import is the deployable multiaccount_import function.
package main

import (
	multiaccountimport "github.com/chatfollow/chatfollow/functions/multiaccount-import"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(multiaccountimport.Operation)) }
