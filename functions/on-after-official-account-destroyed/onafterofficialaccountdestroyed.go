// Package onafterofficialaccountdestroyed is the receiver of
// OfficialAccount.CallbackAfterOfficialAccountDestroyed: Official_Account (of Owner_Account, named
// Name) was destroyed. It is the only webhook a destruction fires.
//
// It is shared/receiver bound to this one command: the receiver's checks and event log are the
// same for every command (package receiver).
//
// In the mirror the official account no longer exists and every subscription to it made at or
// before EventTime ends, unless a later event about the same fact was already applied. The app's
// own logic goes in receiver.Handlers.AfterOfficialAccountDestroyed.
//
// Its main runs it with function.Serve (shared/receiver/function), which reads only the
// RECEIVER_* variables and links nothing of the server half.
//
// Supported API for other modules (see the README).
package onafterofficialaccountdestroyed

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterOfficialAccountDestroyed
