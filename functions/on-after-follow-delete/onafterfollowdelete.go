// Package onafterfollowdelete is the receiver of Follow.CallbackAfterFollowDelete: From_Account
// unfollowed the accounts of To_Account (plain strings; only targets actually unfollowed).
//
// It is shared/receiver bound to this one command: the receiver's checks and event log are the
// same for every command (package receiver).
//
// In the mirror each edge From_Account -> To_Account becomes absent, unless a later event about the
// same fact was already applied. The app's own logic goes in receiver.Handlers.AfterFollowDelete.
//
// Its main runs it with function.Serve (shared/receiver/function), which reads only the
// RECEIVER_* variables and links nothing of the server half.
//
// Supported API for other modules (see the README).
package onafterfollowdelete

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterFollowDelete
