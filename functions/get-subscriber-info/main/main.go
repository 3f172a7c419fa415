// Command get-subscriber-info is the deployable get_subscriber_info function.
package main

import (
	getsubscriberinfo "github.com/chatfollow/chatfollow/functions/get-subscriber-info"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(getsubscriberinfo.Operation)) }
