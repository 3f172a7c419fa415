// Package onafterofficialaccountfull is the receiver of
// OfficialAccount.CallbackAfterOfficialAccountFull: Official_Account reached its MaxSubscriberNum.
//
// Its main serves receiver.Function(Command, ...): the receiver's checks and event log are
// the same for every command (package receiver).
//
// In the mirror the time the official account was last full is kept, unless a later event about the
// same fact was already applied. The app's own logic goes in
// receiver.Handlers.AfterOfficialAccountFull.
package onafterofficialaccountfull

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterOfficialAccountFull
