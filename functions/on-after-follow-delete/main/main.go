// Command on-after-follow-delete is the deployable receiver of Follow.CallbackAfterFollowDelete, on RECEIVER_* variables only.
package main

import (
	onafterfollowdelete "github.com/chatfollow/chatfollow/functions/on-after-follow-delete"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
)

func main() { function.Serve(onafterfollowdelete.Command, receiver.Handlers{}) }
