package webhook

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Sign is Tencent's webhook signature: lower-case hex of SHA-256(token + RequestTime), the
// request time in Unix seconds written in decimal, no separator.
func Sign(token string, requestTime int64) string {
	h := sha256.New()
	h.Write([]byte(token))
	h.Write([]byte(strconv.FormatInt(requestTime, 10)))
	return hex.EncodeToString(h.Sum(nil))
}
