// Command delete-subscriber is the deployable delete_subscriber function.
package main

import (
	deletesubscriber "github.com/chatfollow/chatfollow/functions/delete-subscriber"
	"github.com/chatfollow/chatfollow/shared/platform"
)

func main() { platform.ServeREST(deletesubscriber.Operation) }
