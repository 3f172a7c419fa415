// Command follow-get-info is the deployable follow_get_info function.
package main

import (
	followgetinfo "github.com/chatfollow/chatfollow/functions/follow-get-info"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(followgetinfo.Operation)) }
