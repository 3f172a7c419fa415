// Command modify-subscriber-info is the deployable modify_subscriber_info function.
package main

import (
	modifysubscriberinfo "github.com/chatfollow/chatfollow/functions/modify-subscriber-info"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(modifysubscriberinfo.Operation)) }
