// Package onafterfollowadd is the receiver of Follow.CallbackAfterFollowAdd: From_Account newly
// followed the accounts of FollowList (only targets newly followed).
//
// It is shared/receiver bound to this one command: verified (SdkAppid, Sign within
// RECEIVER_MAX_SKEW, optional body signature), strictly decoded, recorded in the event log before
// it is answered, and acknowledged without effect when redelivered.
//
// In the mirror each edge From_Account -> FollowList[].To_Account becomes present, unless a later
// event about the same fact was already applied. The app's own logic goes in
// receiver.Handlers.AfterFollowAdd.
package onafterfollowadd

import (
	"context"
	"net/http"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterFollowAdd

// Function is this receiver with the app's handlers h, for platform.ServeHTTP.
func Function(h receiver.Handlers) func(context.Context, *app.App) (http.Handler, error) {
	return receiver.Function(Command, h)
}
