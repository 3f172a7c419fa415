// Package onaftercreateofficialaccount is the receiver of
// OfficialAccount.CallbackAfterCreateOfficialAccount: Official_Account was created for
// Owner_Account with Name.
//
// It is shared/receiver bound to this one command: the receiver's checks and event log are the
// same for every command (package receiver).
//
// In the mirror the official account exists, with its Owner_Account and Name (other info cleared),
// unless a later event about the same fact was already applied. The app's own logic goes in
// receiver.Handlers.AfterCreateOfficialAccount.
//
// Its main runs it with function.Serve (shared/receiver/function), which reads only the
// RECEIVER_* variables and links nothing of the server half.
//
// Supported API for other modules (see the README).
package onaftercreateofficialaccount

import "github.com/chatfollow/chatfollow/shared/protocol"

// Command is the CallbackCommand this function receives.
const Command = protocol.CallbackAfterCreateOfficialAccount
