// Command callback is the deployable single-URL webhook receiver.
package main

import (
	"github.com/chatfollow/chatfollow/functions/callback"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

func main() { platform.ServeHTTP(receiver.Function(callback.Command, receiver.Handlers{})) }
