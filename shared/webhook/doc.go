// Package webhook is Tencent Chat's webhook protocol as both sides see it: the query string of a
// callback URL, the Sign of docs/wire.md section 5, sending a call, and the answer a receiver
// gives. The callback commands and their JSON bodies are in package protocol.
package webhook
