// Package onafteraddsubscriber is the receiver of OfficialAccount.CallbackAfterAddSubscriber: the
// accounts of SubscribeAccountList subscribed to Official_Account (only accounts actually added).
//
// Its main serves receiver.Function(Command, ...): the receiver's checks and event log are
// the same for every command (package receiver).
//
// In the mirror each subscription becomes present, unless the official account was destroyed after
// EventTime, unless a later event about the same fact was already applied. The app's own logic goes
// in receiver.Handlers.AfterAddSubscriber.
package onafteraddsubscriber

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterAddSubscriber
