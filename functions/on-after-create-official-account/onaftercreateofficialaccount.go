// Package onaftercreateofficialaccount is the receiver of
// OfficialAccount.CallbackAfterCreateOfficialAccount: Official_Account was created for
// Owner_Account with Name.
//
// Its main serves receiver.Function(Command, ...): the receiver's checks and event log are
// the same for every command (package receiver).
//
// In the mirror the official account exists, with its Owner_Account and Name (other info cleared),
// unless a later event about the same fact was already applied. The app's own logic goes in
// receiver.Handlers.AfterCreateOfficialAccount.
package onaftercreateofficialaccount

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterCreateOfficialAccount
