// Package callback is the single webhook URL Tencent calls: it verifies a delivery once and
// routes it on its CallbackCommand, in-process, to the receiver of that command (the same
// handling as each functions/on-* function). A command it does not know is refused with HTTP 400.
//
// Its main runs it with function.Serve (shared/receiver/function), which reads only the
// RECEIVER_* variables and links nothing of the server half.
//
// Supported API for other modules (see the README).
package callback

// Command is the command this function is bound to: "", every command on one URL.
const Command = ""
