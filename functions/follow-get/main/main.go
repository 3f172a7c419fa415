// Command follow-get is the deployable follow_get function.
package main

import (
	followget "github.com/chatfollow/chatfollow/functions/follow-get"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(followget.Operation)) }
