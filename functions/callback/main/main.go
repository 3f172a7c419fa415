// Command callback is the deployable receiver of every webhook command on one URL, on RECEIVER_* variables only.
package main

import (
	"github.com/chatfollow/chatfollow/functions/callback"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
)

func main() { function.Serve(callback.Command, receiver.Handlers{}) }
