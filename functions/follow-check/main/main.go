// Command follow-check is the deployable follow_check function.
package main

import (
	followcheck "github.com/chatfollow/chatfollow/functions/follow-check"
	"github.com/chatfollow/chatfollow/shared/platform"
)

func main() { platform.ServeREST(followcheck.Operation) }
