// Command on-after-follow-delete is the deployable receiver of Follow.CallbackAfterFollowDelete.
package main

import (
	onafterfollowdelete "github.com/chatfollow/chatfollow/functions/on-after-follow-delete"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

func main() { platform.ServeHTTP(receiver.Function(onafterfollowdelete.Command, receiver.Handlers{})) }
