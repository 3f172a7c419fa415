// Command follow-check is the deployable follow_check function.
package main

import (
	followcheck "github.com/chatfollow/chatfollow/functions/follow-check"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(followcheck.Operation)) }
