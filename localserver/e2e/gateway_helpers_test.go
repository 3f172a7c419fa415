package e2e_test

import (
	"bytes"
	"compress/zlib"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"testing"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"
	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"

	"github.com/chatfollow/chatfollow/shared/config"
)

const (
	appID = config.DevSDKAppID
	key   = config.DevSecretKey
	admin = "administrator"
)

var tencentAlphabet = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-").WithPadding('_')

// gen is a UserSig made by Tencent's Go library.
func gen(t testing.TB, sdkAppID int, k, identifier string, expire int) string {
	t.Helper()
	sig, err := tencentyun.GenUserSig(sdkAppID, k, identifier, expire)
	require.NoError(t, err)
	return sig
}

// mint is a UserSig with a chosen issue time, made like Tencent's libraries make them.
func mint(t testing.TB, sdkAppID uint64, k, identifier string, issued, expire int64) string {
	t.Helper()
	m := hmac.New(sha256.New, []byte(k))
	m.Write([]byte("TLS.identifier:" + identifier + "\nTLS.sdkappid:" + strconv.FormatUint(sdkAppID, 10) +
		"\nTLS.time:" + strconv.FormatInt(issued, 10) + "\nTLS.expire:" + strconv.FormatInt(expire, 10) + "\n"))
	doc, err := json.Marshal(map[string]any{
		"TLS.ver": "2.0", "TLS.identifier": identifier, "TLS.sdkappid": sdkAppID,
		"TLS.time": issued, "TLS.expire": expire, "TLS.sig": base64.StdEncoding.EncodeToString(m.Sum(nil)),
	})
	require.NoError(t, err)
	return pack(t, string(doc))
}

// pack compresses and encodes any text as a UserSig.
func pack(t testing.TB, doc string) string {
	t.Helper()
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, err := w.Write([]byte(doc))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return tencentAlphabet.EncodeToString(b.Bytes())
}

// fail is the whole answer of a failed call: follow answers carry ErrorDisplay, others do not.
func fail(follow bool, code int, info string) string {
	q, _ := json.Marshal(info)
	s := `{"ActionStatus":"FAIL","ErrorCode":` + strconv.Itoa(code) + `,"ErrorInfo":` + string(q)
	if follow {
		s += `,"ErrorDisplay":""`
	}
	return s + "}"
}
