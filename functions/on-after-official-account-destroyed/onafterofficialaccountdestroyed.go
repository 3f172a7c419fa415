// Package onafterofficialaccountdestroyed is the receiver of
// OfficialAccount.CallbackAfterOfficialAccountDestroyed: Official_Account (of Owner_Account, named
// Name) was destroyed. It is the only webhook a destruction fires.
//
// It is shared/receiver bound to this one command: verified (SdkAppid, Sign within
// RECEIVER_MAX_SKEW, optional body signature), strictly decoded, recorded in the event log before
// it is answered, and acknowledged without effect when redelivered.
//
// In the mirror the official account no longer exists and every subscription to it made at or
// before EventTime ends, unless a later event about the same fact was already applied. The app's
// own logic goes in receiver.Handlers.AfterOfficialAccountDestroyed.
package onafterofficialaccountdestroyed

import (
	"context"
	"net/http"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterOfficialAccountDestroyed

// Function is this receiver with the app's handlers h, for platform.ServeHTTP.
func Function(h receiver.Handlers) func(context.Context, *app.App) (http.Handler, error) {
	return receiver.Function(Command, h)
}
