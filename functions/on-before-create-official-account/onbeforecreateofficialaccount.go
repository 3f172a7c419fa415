// Package onbeforecreateofficialaccount is the receiver of
// OfficialAccount.CallbackBeforeCreateOfficialAccount: Operator_Account is about to create an
// official account named Name for Owner_Account; the answer allows (ErrorCode 0) or refuses
// (ErrorCode 1) it.
//
// It is shared/receiver bound to this one command: verified (SdkAppid, Sign within
// RECEIVER_MAX_SKEW, optional body signature), strictly decoded, recorded in the event log before
// it is answered, and acknowledged without effect when redelivered.
//
// It changes no mirror: it is answered from the app's policy, allowing everything by default.
// Refusals come from RECEIVER_DENY_OWNERS (Owner_Account) and from
// receiver.Handlers.BeforeCreateOfficialAccount; the decision is recorded with the event.
package onbeforecreateofficialaccount

import (
	"context"
	"net/http"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackBeforeCreateOfficialAccount

// Function is this receiver with the app's handlers h, for platform.ServeHTTP.
func Function(h receiver.Handlers) func(context.Context, *app.App) (http.Handler, error) {
	return receiver.Function(Command, h)
}
