// Command follow-delete is the deployable follow_delete function.
package main

import (
	followdelete "github.com/chatfollow/chatfollow/functions/follow-delete"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(followdelete.Operation)) }
