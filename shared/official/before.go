package official

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	json "github.com/go-json-experiment/json"

	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// Ask sends a before-webhook synchronously, once, and returns the receiver's answer. ok is
// false when there is no answer to obey: no callback URL is configured (sender is nil), or the
// call failed, timed out or was not answered with HTTP 200 and a JSON envelope. Then the
// operation goes ahead, as Tencent's default policy does (wire.md section 5).
//
// The caller must not hold a store transaction: the call waits up to CHAT_CALLBACK_TIMEOUT.
func Ask(ctx context.Context, sender *webhook.Sender, clientIP string, body protocol.CallbackBody) (answer webhook.Answer, ok bool) {
	if sender == nil {
		return webhook.Answer{}, false
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return webhook.Answer{}, false
	}
	var id [12]byte
	rand.Read(id[:])
	answer, err = sender.Send(ctx, webhook.Call{
		Command:  body.Command(),
		Body:     raw,
		ClientIP: clientIP,
		Platform: protocol.PlatformREST,
	}, "msg_"+hex.EncodeToString(id[:]), nil)
	return answer, err == nil
}
