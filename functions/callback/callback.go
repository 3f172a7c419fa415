// Package callback is the single webhook URL Tencent calls: it verifies a delivery once and
// routes it on its CallbackCommand, in-process, to the receiver of that command (the same
// handling as each functions/on-* function). A command it does not know is refused with HTTP 400.
package callback

// Command is "": the single URL receives every CallbackCommand (receiver.Function).
const Command = ""
