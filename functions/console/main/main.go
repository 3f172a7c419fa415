// Command console is the deployable operator console.
package main

import (
	"github.com/chatfollow/chatfollow/functions/console"
	"github.com/chatfollow/chatfollow/shared/platform"
)

func main() { platform.ServeConsole(console.Build) }
