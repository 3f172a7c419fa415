// Package onafteraddsubscriber is the receiver of OfficialAccount.CallbackAfterAddSubscriber: the
// accounts of SubscribeAccountList subscribed to Official_Account (only accounts actually added).
//
// It is shared/receiver bound to this one command: the receiver's checks and event log are the
// same for every command (package receiver).
//
// In the mirror each subscription becomes present, unless the official account was destroyed after
// EventTime, unless a later event about the same fact was already applied. The app's own logic goes
// in receiver.Handlers.AfterAddSubscriber.
//
// Its main runs it with function.Serve (shared/receiver/function), which reads only the
// RECEIVER_* variables and links nothing of the server half.
//
// Supported API for other modules (see the README).
package onafteraddsubscriber

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterAddSubscriber
