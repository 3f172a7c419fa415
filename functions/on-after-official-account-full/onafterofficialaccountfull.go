// Package onafterofficialaccountfull is the receiver of
// OfficialAccount.CallbackAfterOfficialAccountFull: Official_Account reached its MaxSubscriberNum.
//
// It is shared/receiver bound to this one command: the receiver's checks and event log are the
// same for every command (package receiver).
//
// In the mirror the time the official account was last full is kept, unless a later event about the
// same fact was already applied. The app's own logic goes in
// receiver.Handlers.AfterOfficialAccountFull.
//
// Its main runs it with function.Serve (shared/receiver/function), which reads only the
// RECEIVER_* variables and links nothing of the server half.
//
// Supported API for other modules (see the README).
package onafterofficialaccountfull

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterOfficialAccountFull
