// Package onafterfollowdelete is the receiver of Follow.CallbackAfterFollowDelete: From_Account
// unfollowed the accounts of To_Account (plain strings; only targets actually unfollowed).
//
// Its main serves receiver.Function(Command, ...): the receiver's checks and event log are
// the same for every command (package receiver).
//
// In the mirror each edge From_Account -> To_Account becomes absent, unless a later event about the
// same fact was already applied. The app's own logic goes in receiver.Handlers.AfterFollowDelete.
package onafterfollowdelete

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterFollowDelete
