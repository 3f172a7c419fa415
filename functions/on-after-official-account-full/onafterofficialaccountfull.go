// Package onafterofficialaccountfull is the receiver of
// OfficialAccount.CallbackAfterOfficialAccountFull: Official_Account reached its MaxSubscriberNum.
//
// It is shared/receiver bound to this one command: verified (SdkAppid, Sign within
// RECEIVER_MAX_SKEW, optional body signature), strictly decoded, recorded in the event log before
// it is answered, and acknowledged without effect when redelivered.
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

import "github.com/chatfollow/chatfollow/shared/webhook"

// Command is the CallbackCommand this function receives.
const Command = webhook.CmdAfterOfficialAccountFull
