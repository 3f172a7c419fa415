// Command follow-get is the deployable follow_get function.
package main

import (
	followget "github.com/chatfollow/chatfollow/functions/follow-get"
	"github.com/chatfollow/chatfollow/shared/platform"
)

func main() { platform.ServeREST(followget.Operation) }
