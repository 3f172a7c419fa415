// Package onafterfollowdelete is the receiver of Follow.CallbackAfterFollowDelete: From_Account
// unfollowed the accounts of To_Account (plain strings; only targets actually unfollowed).
//
// It is shared/receiver bound to this one command: verified (SdkAppid, Sign within
// RECEIVER_MAX_SKEW, optional body signature), strictly decoded, recorded in the event log before
// it is answered, and acknowledged without effect when redelivered.
//
// In the mirror each edge From_Account -> To_Account becomes absent, unless a later event about the
// same fact was already applied. The app's own logic goes in receiver.Handlers.AfterFollowDelete.
package onafterfollowdelete

import (
	"context"
	"net/http"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterFollowDelete

// Function is this receiver with the app's handlers h, for platform.ServeHTTP.
func Function(h receiver.Handlers) func(context.Context, *app.App) (http.Handler, error) {
	return receiver.Function(Command, h)
}
