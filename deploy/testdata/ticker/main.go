// Command ticker is a scheduled function binary whose tick checks the store answers, built by
// the runtime-contract tests of package deploy.
package main

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/platform"
)

func main() {
	platform.ServeSchedule(func(ctx context.Context, a *app.App) error { return a.Store.Ping(ctx) })
}
