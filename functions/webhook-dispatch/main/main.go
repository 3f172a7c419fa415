// Command webhook-dispatch is the deployable, timer-triggered outbox drainer.
package main

import (
	webhookdispatch "github.com/chatfollow/chatfollow/functions/webhook-dispatch"
	"github.com/chatfollow/chatfollow/shared/platform"
)

func main() { platform.ServeSchedule(webhookdispatch.Tick) }
