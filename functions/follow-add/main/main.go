// Command follow-add is the deployable follow_add function.
package main

import (
	followadd "github.com/chatfollow/chatfollow/functions/follow-add"
	"github.com/chatfollow/chatfollow/shared/platform"
)

func main() { platform.ServeREST(followadd.Operation) }
