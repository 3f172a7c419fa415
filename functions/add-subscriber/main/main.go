// Command add-subscriber is the deployable add_subscriber function.
package main

import (
	addsubscriber "github.com/chatfollow/chatfollow/functions/add-subscriber"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/rest"
)

func main() { platform.ServeHTTP(rest.Function(addsubscriber.Operation)) }
