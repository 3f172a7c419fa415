// Command echo is a function binary serving the echo receiver through the platform adapters,
// built by the runtime-contract tests of package deploy.
package main

import (
	"context"
	"net/http"

	"github.com/chatfollow/chatfollow/deploy/internal/echo"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/platform"
)

func main() {
	platform.ServeHTTP(func(context.Context, *app.App) (http.Handler, error) { return echo.Handler(), nil })
}
