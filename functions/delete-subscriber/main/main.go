// Command delete-subscriber is the deployable delete_subscriber function.
package main

import (
	deletesubscriber "github.com/chatfollow/chatfollow/functions/delete-subscriber"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(deletesubscriber.Operation)) }
