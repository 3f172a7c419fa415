// Package onafterfollowadd is the receiver of Follow.CallbackAfterFollowAdd: From_Account newly
// followed the accounts of FollowList (only targets newly followed).
//
// It is shared/receiver bound to this one command: the receiver's checks and event log are the
// same for every command (package receiver).
//
// In the mirror each edge From_Account -> FollowList[].To_Account becomes present, unless a later
// event about the same fact was already applied. The app's own logic goes in
// receiver.Handlers.AfterFollowAdd.
//
// Its main runs it with function.Serve (shared/receiver/function), which reads only the
// RECEIVER_* variables and links nothing of the server half.
//
// Supported API for other modules (see the README).
package onafterfollowadd

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterFollowAdd
