// Package callback is the single webhook URL Tencent calls: it verifies a delivery once and
// routes it on its CallbackCommand, in-process, to the receiver of that command (the same
// handling as each functions/on-* function). A command it does not know is refused with HTTP 400.
//
// Supported API for other modules (see the README).
package callback

import (
	"context"
	"net/http"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

// Function is the single-URL receiver with the app's handlers h, for platform.ServeHTTP.
func Function(h receiver.Handlers) func(context.Context, *app.App) (http.Handler, error) {
	return receiver.Function("", h)
}
