// Package console is the deployable operator console (docs/product.md, /console): the pages of
// shared/console over the shared database, always behind CHAT_CONSOLE_TOKEN.
package console

import (
	"context"
	"net/http"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/console"
)

// Build returns the console of a deployed function. A redelivery is sent by the next tick of
// webhook-dispatch (nothing runs between this function's requests).
func Build(ctx context.Context, a *app.App) (http.Handler, error) {
	rs, err := a.ReceiverStore(ctx)
	if err != nil {
		return nil, err
	}
	return console.New(console.Options{Store: a.Store, Receivers: rs, Token: a.Config.Console.Token, Now: a.Now, Log: a.Log})
}
