// Command follow-add is the deployable follow_add function.
package main

import (
	followadd "github.com/chatfollow/chatfollow/functions/follow-add"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(followadd.Operation)) }
