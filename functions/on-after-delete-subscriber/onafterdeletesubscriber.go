// Package onafterdeletesubscriber is the receiver of OfficialAccount.CallbackAfterDeleteSubscriber:
// the accounts of SubscribeAccountList no longer subscribe to Official_Account (only accounts
// actually removed).
//
// Its main serves receiver.Function(Command, ...): the receiver's checks and event log are
// the same for every command (package receiver).
//
// In the mirror each subscription becomes absent, unless a later event about the same fact was
// already applied. The app's own logic goes in receiver.Handlers.AfterDeleteSubscriber.
package onafterdeletesubscriber

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterDeleteSubscriber
