// Package onafterdeletesubscriber is the receiver of OfficialAccount.CallbackAfterDeleteSubscriber:
// the accounts of SubscribeAccountList no longer subscribe to Official_Account (only accounts
// actually removed).
//
// It is shared/receiver bound to this one command: the receiver's checks and event log are the
// same for every command (package receiver).
//
// In the mirror each subscription becomes absent, unless a later event about the same fact was
// already applied. The app's own logic goes in receiver.Handlers.AfterDeleteSubscriber.
//
// Its main runs it with function.Serve (shared/receiver/function), which reads only the
// RECEIVER_* variables and links nothing of the server half.
//
// Supported API for other modules (see the README).
package onafterdeletesubscriber

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterDeleteSubscriber
