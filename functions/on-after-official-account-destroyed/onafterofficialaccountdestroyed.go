// Package onafterofficialaccountdestroyed is the receiver of
// OfficialAccount.CallbackAfterOfficialAccountDestroyed: Official_Account (of Owner_Account, named
// Name) was destroyed. It is the only webhook a destruction fires.
//
// Its main serves receiver.Function(Command, ...): the receiver's checks and event log are
// the same for every command (package receiver).
//
// In the mirror the official account no longer exists and every subscription to it made at or
// before EventTime ends, unless a later event about the same fact was already applied. The app's
// own logic goes in receiver.Handlers.AfterOfficialAccountDestroyed.
package onafterofficialaccountdestroyed

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterOfficialAccountDestroyed
